#include <DeviceConfig.h>
#include <Settings.h>
#include <FileSystem.h>

DeviceConfig deviceConfig;

namespace
{
DEFINE_FSTR(configFile, "config.json")
}

void DeviceConfig::load()
{
	String stored = Settings::readRecovering(configFile);
	DynamicJsonDocument wrapper(2 * stored.length() + 256);
	if(stored.length() == 0 || deserializeJson(wrapper, stored)) {
		return;
	}
	String config;
	serializeJson(wrapper["config"], config);
	adopt(wrapper["cfgsn"] | 0u, config, false);
}

bool DeviceConfig::apply(uint32_t cfgsn, const String& json)
{
	return adopt(cfgsn, json, true);
}

bool DeviceConfig::adopt(uint32_t cfgsn, const String& json, bool persist)
{
	auto candidate = std::make_unique<DynamicJsonDocument>(2 * json.length() + 256);
	if(deserializeJson(*candidate, json) || !candidate->is<JsonObject>()) {
		debug_w("[config] cfgsn %u is not a JSON object; ignored", cfgsn);
		return false;
	}
	if(validator && !validator(candidate->as<JsonObjectConst>())) {
		debug_w("[config] cfgsn %u refused by the application", cfgsn);
		return false;
	}
	if(persist) {
		String stored = F("{\"cfgsn\":");
		stored += cfgsn;
		stored += F(",\"config\":");
		stored += json;
		stored += '}';
		if(!Settings::writeAtomically(configFile, stored)) {
			debug_e("[config] could not save cfgsn %u; keeping %u", cfgsn, serial);
			return false;
		}
	}
	candidate->shrinkToFit();
	document = std::move(candidate);
	serial = cfgsn;
	debug_i("[config] cfgsn %u in effect: %s", cfgsn, json.c_str());
	for(auto& listener : listeners) {
		listener(*this);
	}
	return true;
}

JsonVariantConst DeviceConfig::find(const char* name) const
{
	if(!document) {
		return JsonVariantConst();
	}
	return document->as<JsonObjectConst>()[name];
}

bool DeviceConfig::has(const char* name) const
{
	return !find(name).isNull();
}

String DeviceConfig::getString(const char* name, const String& fallback) const
{
	JsonVariantConst value = find(name);
	if(value.isNull()) {
		return fallback;
	}
	if(value.is<const char*>()) {
		return value.as<const char*>();
	}
	String text;
	serializeJson(value, text);
	return text;
}

long DeviceConfig::getInt(const char* name, long fallback) const
{
	JsonVariantConst value = find(name);
	return value.is<long>() || value.is<float>() ? value.as<long>() : fallback;
}

float DeviceConfig::getFloat(const char* name, float fallback) const
{
	JsonVariantConst value = find(name);
	return value.is<float>() || value.is<long>() ? value.as<float>() : fallback;
}

bool DeviceConfig::getBool(const char* name, bool fallback) const
{
	JsonVariantConst value = find(name);
	return value.is<bool>() ? value.as<bool>() : fallback;
}

JsonObjectConst DeviceConfig::object() const
{
	return document ? document->as<JsonObjectConst>() : JsonObjectConst();
}
