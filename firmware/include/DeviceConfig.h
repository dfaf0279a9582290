/*
 * The effective configuration the operator set in FleetDesk (profile defaults + device overrides),
 * as application code sees it:
 *
 *   int period = deviceConfig.getInt("period", 30);
 *   deviceConfig.onChange([](const DeviceConfig& config) { ... });
 *
 * A new config is parsed completely and written to flash before it replaces the current one, and
 * only then are the change callbacks called: a config is applied whole or not at all.
 */
#pragma once

#include <ArduinoJson.h>
#include <Delegate.h>
#include <WString.h>
#include <WVector.h>
#include <memory>

class DeviceConfig
{
public:
	using ChangeDelegate = Delegate<void(const DeviceConfig& config)>;
	/* Return false to refuse a config (e.g. a value out of range): the old one stays. */
	using Validator = Delegate<bool(JsonObjectConst candidate)>;

	/* Load the last applied config from flash (at boot). */
	void load();
	/* Parse, validate, persist, swap, notify. False leaves everything as it was. */
	bool apply(uint32_t cfgsn, const String& json);

	uint32_t cfgsn() const
	{
		return serial;
	}
	bool has(const char* name) const;
	String getString(const char* name, const String& fallback = nullptr) const;
	long getInt(const char* name, long fallback = 0) const;
	float getFloat(const char* name, float fallback = 0) const;
	bool getBool(const char* name, bool fallback = false) const;
	/* The whole object, for nested values; valid until the next apply(). */
	JsonObjectConst object() const;

	void onChange(ChangeDelegate callback)
	{
		listeners.add(callback);
	}
	void setValidator(Validator callback)
	{
		validator = callback;
	}

private:
	JsonVariantConst find(const char* name) const;
	bool adopt(uint32_t cfgsn, const String& json, bool persist);

	std::unique_ptr<DynamicJsonDocument> document;
	uint32_t serial{0};
	Vector<ChangeDelegate> listeners;
	Validator validator;
};

extern DeviceConfig deviceConfig;
