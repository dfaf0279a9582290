#include <ProtocolJson.h>
#include <StringConv.h>
#include <ArduinoJson.h>

namespace ProtocolJson
{
namespace
{
size_t capacityFor(const String& body)
{
	// Strings from a String input are copied into the pool, so reserve about twice the text.
	return 2 * body.length() + 512;
}

std::string text(JsonVariantConst value)
{
	if(value.isNull()) {
		return {};
	}
	if(value.is<const char*>()) {
		return value.as<const char*>();
	}
	String out;
	serializeJson(value, out); // numbers, booleans and nested values as compact JSON
	return toStd(out);
}

void addTelemetry(JsonObject object, const fleet::Telemetry& telemetry)
{
	if(!telemetry.ip.empty()) {
		object["ip"] = telemetry.ip;
	}
	if(!telemetry.ssid.empty()) {
		object["ssid"] = telemetry.ssid;
	}
}

bool parseConfig(JsonObjectConst root, bool& hasConfig, std::string& configJson)
{
	JsonVariantConst config = root["config"];
	hasConfig = config.is<JsonObjectConst>();
	if(hasConfig) {
		String out;
		serializeJson(config, out);
		configJson = toStd(out);
	}
	return true;
}

void addBoot(JsonObject root, const fleet::BootReport& boot)
{
	JsonObject out = root.createNestedObject("boot");
	out["count"] = boot.count;
	out["reason"] = boot.reason;
	out["slot"] = boot.slot;
	out["trial"] = boot.trial;
}

} // namespace

String registerBody(const fleet::RegisterRequest& request)
{
	DynamicJsonDocument doc(1280);
	JsonObject root = doc.to<JsonObject>();
	addTelemetry(root, request.telemetry);
	JsonObject fw = root.createNestedObject("fw");
	fw["name"] = request.identity.fwName;
	fw["version"] = request.identity.fwVersion;
	if(request.identity.fwMd5.size() == 32) {
		fw["md5"] = request.identity.fwMd5;
	}
	addBoot(root, request.boot);
	JsonObject chip = root.createNestedObject("chip");
	chip["id"] = request.identity.chipId;
	chip["flash"] = request.identity.flashSize;
	if(!request.enrollmentKey.empty()) {
		root["key"] = request.enrollmentKey;
	}
	String body;
	serializeJson(doc, body);
	return body;
}

String checkinBody(const fleet::CheckinRequest& request)
{
	DynamicJsonDocument doc(2048 + 160 * request.acks.size());
	JsonObject root = doc.to<JsonObject>();
	root["cfgsn"] = request.cfgsn;
	addTelemetry(root, request.telemetry);
	root["rssi"] = request.telemetry.rssi;
	root["heap"] = request.telemetry.heap;
	root["uptime"] = request.telemetry.uptime;
	JsonObject fw = root.createNestedObject("fw");
	fw["name"] = request.fwName;
	fw["version"] = request.fwVersion;
	if(request.fwMd5.size() == 32) {
		fw["md5"] = request.fwMd5;
	}
	addBoot(root, request.boot);
	JsonArray acks = root.createNestedArray("acks");
	for(auto& ack : request.acks) {
		JsonObject item = acks.createNestedObject();
		item["id"] = ack.id;
		item["ok"] = ack.ok;
		if(!ack.result.empty()) {
			item["result"] = ack.result.substr(0, 500);
		}
	}
	if(request.hasOta) {
		JsonObject ota = root.createNestedObject("ota");
		ota["id"] = request.ota.id;
		ota["ok"] = request.ota.ok;
		ota["message"] = request.ota.message;
		if(request.ota.rolledBack) {
			ota["rolledBack"] = true;
		}
	}
	String body;
	serializeJson(doc, body);
	return body;
}

bool parseRegisterReply(const String& body, fleet::RegisterReply& reply)
{
	DynamicJsonDocument doc(capacityFor(body));
	if(deserializeJson(doc, body) || !doc.is<JsonObject>()) {
		return false;
	}
	JsonObjectConst root = doc.as<JsonObjectConst>();
	reply.state = fleet::parseDeviceState(root["state"] | "");
	reply.token = root["token"] | "";
	reply.cfgsn = root["cfgsn"] | 0u;
	reply.interval = root["interval"] | 60u;
	parseConfig(root, reply.hasConfig, reply.configJson);
	return reply.state != fleet::DeviceState::Unknown;
}

bool parseCheckinReply(const String& body, fleet::CheckinReply& reply)
{
	DynamicJsonDocument doc(capacityFor(body));
	if(deserializeJson(doc, body) || !doc.is<JsonObject>()) {
		return false;
	}
	JsonObjectConst root = doc.as<JsonObjectConst>();
	reply.state = fleet::parseDeviceState(root["state"] | "");
	reply.cfgsn = root["cfgsn"] | 0u;
	reply.interval = root["interval"] | 60u;
	parseConfig(root, reply.hasConfig, reply.configJson);
	for(JsonObjectConst item : root["commands"].as<JsonArrayConst>()) {
		fleet::Command command;
		command.id = item["id"] | 0u;
		command.name = item["name"] | "";
		for(JsonPairConst arg : item["args"].as<JsonObjectConst>()) {
			command.args[arg.key().c_str()] = text(arg.value());
		}
		if(command.id != 0) {
			reply.commands.push_back(command);
		}
	}
	JsonObjectConst firmware = root["firmware"];
	reply.hasFirmware = !firmware.isNull();
	if(reply.hasFirmware) {
		reply.firmware.id = firmware["id"] | 0u;
		reply.firmware.version = firmware["version"] | "";
		reply.firmware.url = firmware["url"] | "";
		reply.firmware.size = firmware["size"] | 0u;
		reply.firmware.md5 = firmware["md5"] | "";
	}
	reply.confirmMd5 = root["confirm"]["md5"] | "";
	return reply.state != fleet::DeviceState::Unknown;
}

String persistedToJson(const fleet::PersistedState& state)
{
	DynamicJsonDocument doc(1536 + 160 * state.pendingAcks.size() + 16 * state.recentCommandIds.size());
	JsonObject root = doc.to<JsonObject>();
	root["serverId"] = state.serverId;
	root["token"] = state.token;
	root["cfgsn"] = state.appliedCfgsn;
	JsonArray acks = root.createNestedArray("acks");
	for(auto& ack : state.pendingAcks) {
		JsonObject item = acks.createNestedObject();
		item["id"] = ack.id;
		item["ok"] = ack.ok;
		item["result"] = ack.result;
	}
	JsonArray recent = root.createNestedArray("recent");
	for(auto id : state.recentCommandIds) {
		recent.add(id);
	}
	root["failedOtaId"] = state.failedOtaId;
	root["failedOtaMessage"] = state.failedOtaMessage;
	root["failedOtaRolledBack"] = state.failedOtaRolledBack;
	root["lastHost"] = state.lastHost;
	root["lastPort"] = state.lastPort;
	root["lastApi"] = state.lastApiPath;
	root["boots"] = state.bootCount;
	if(state.trial.pending()) {
		JsonObject trial = root.createNestedObject("trial");
		trial["id"] = state.trial.offerId;
		trial["version"] = state.trial.version;
		trial["md5"] = state.trial.md5;
		trial["size"] = state.trial.size;
		trial["slot"] = state.trial.slot;
		trial["endNote"] = state.trial.endNote;
	}
	String json;
	serializeJson(doc, json);
	return json;
}

bool persistedFromJson(const String& json, fleet::PersistedState& state)
{
	DynamicJsonDocument doc(capacityFor(json));
	if(deserializeJson(doc, json) || !doc.is<JsonObject>()) {
		return false;
	}
	JsonObjectConst root = doc.as<JsonObjectConst>();
	state.serverId = root["serverId"] | "";
	state.token = root["token"] | "";
	state.appliedCfgsn = root["cfgsn"] | 0u;
	state.pendingAcks.clear();
	for(JsonObjectConst item : root["acks"].as<JsonArrayConst>()) {
		state.pendingAcks.push_back(fleet::CommandAck{item["id"] | 0u, item["ok"] | false, item["result"] | ""});
	}
	state.recentCommandIds.clear();
	for(JsonVariantConst id : root["recent"].as<JsonArrayConst>()) {
		state.recentCommandIds.push_back(id | 0u);
	}
	state.failedOtaId = root["failedOtaId"] | 0u;
	state.failedOtaMessage = root["failedOtaMessage"] | "";
	state.failedOtaRolledBack = root["failedOtaRolledBack"] | false;
	state.lastHost = root["lastHost"] | "";
	state.lastPort = root["lastPort"] | 0u;
	state.lastApiPath = root["lastApi"] | "";
	state.bootCount = root["boots"] | 0u;
	JsonObjectConst trial = root["trial"];
	state.trial = fleet::TrialRecord{};
	if(!trial.isNull()) {
		state.trial.offerId = trial["id"] | 0u;
		state.trial.version = trial["version"] | "";
		state.trial.md5 = trial["md5"] | "";
		state.trial.size = trial["size"] | 0u;
		state.trial.slot = trial["slot"] | 0u;
		state.trial.endNote = trial["endNote"] | "";
	}
	return true;
}

} // namespace ProtocolJson
