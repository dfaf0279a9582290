/*
 * A tiny test helper: TEST(name) registers a case, CHECK/CHECK_EQ record failures with file:line.
 * The runner prints one line per failing check and ends with "firmware: N passed, M failed".
 */
#pragma once

#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace check
{
struct Case {
	const char* name;
	std::function<void()> body;
};

inline std::vector<Case>& registry()
{
	static std::vector<Case> cases;
	return cases;
}

inline int& failuresInCase()
{
	static int count = 0;
	return count;
}

struct Registrar {
	Registrar(const char* name, std::function<void()> body)
	{
		registry().push_back({name, std::move(body)});
	}
};

inline void fail(const char* file, int line, const std::string& message)
{
	++failuresInCase();
	std::cout << "  FAIL " << file << ":" << line << ": " << message << std::endl;
}

template <typename A, typename B> void equal(const A& actual, const B& expected, const char* text, const char* file, int line)
{
	if(!(actual == expected)) {
		std::ostringstream out;
		out << text << ": got [" << actual << "], expected [" << expected << "]";
		fail(file, line, out.str());
	}
}

} // namespace check

#define CHECK_CONCAT2(a, b) a##b
#define CHECK_CONCAT(a, b) CHECK_CONCAT2(a, b)
#define TEST(name)                                                                                                     \
	static void CHECK_CONCAT(test_, __LINE__)();                                                                       \
	static check::Registrar CHECK_CONCAT(registrar_, __LINE__)(name, CHECK_CONCAT(test_, __LINE__));                   \
	static void CHECK_CONCAT(test_, __LINE__)()
#define CHECK(cond)                                                                                                    \
	do {                                                                                                               \
		if(!(cond)) {                                                                                                  \
			check::fail(__FILE__, __LINE__, "CHECK(" #cond ")");                                                       \
		}                                                                                                              \
	} while(0)
#define CHECK_EQ(actual, expected) check::equal((actual), (expected), #actual " == " #expected, __FILE__, __LINE__)
