/* The core speaks std::string, Sming speaks String. */
#pragma once

#include <WString.h>
#include <string>

inline String toSming(const std::string& text)
{
	return String(text.c_str(), text.length());
}

inline std::string toStd(const String& text)
{
	return std::string(text.c_str(), text.length());
}
