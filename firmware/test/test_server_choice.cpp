#include "check.h"
#include "fleet/server_choice.h"

using namespace fleet;

static ServerEndpoint server(const char* id, const char* host, uint16_t port)
{
	ServerEndpoint endpoint;
	endpoint.id = id;
	endpoint.host = host;
	endpoint.port = port;
	return endpoint;
}

TEST("configured URLs parse host and port; bad ones are refused")
{
	ServerEndpoint out;
	CHECK(parseServerUrl("http://10.0.0.1:3000", out));
	CHECK_EQ(out.host, "10.0.0.1");
	CHECK_EQ(out.port, 3000);
	CHECK(parseServerUrl("http://fleet.local/", out));
	CHECK_EQ(out.host, "fleet.local");
	CHECK_EQ(out.port, 80);
	CHECK(parseServerUrl("http://h:8080/api/v1", out));
	CHECK_EQ(out.port, 8080);
	CHECK(!parseServerUrl("https://h:1", out));
	CHECK(!parseServerUrl("http://:3000", out));
	CHECK(!parseServerUrl("http://h:99999", out));
	CHECK(!parseServerUrl("http://h:12a", out));
	CHECK(!parseServerUrl("", out));
	CHECK_EQ(out.port, 8080); // untouched by failures
}

TEST("the server the device registered with wins over others and the configured URL")
{
	std::vector<ServerEndpoint> found{server("aaa", "10.0.0.2", 3000), server("bbb", "10.0.0.3", 3001)};
	ServerEndpoint chosen;
	CHECK(chooseServer(found, "bbb", "http://10.0.0.9:3000", server("bbb", "10.0.0.7", 3000), chosen));
	CHECK_EQ(chosen.id, "bbb");
	CHECK_EQ(chosen.host, "10.0.0.3"); // where it answers now beats where it was
	CHECK_EQ(chosen.port, 3001);
}

TEST("a registered device never takes another server: its last address, or nothing")
{
	std::vector<ServerEndpoint> found{server("aaa", "10.0.0.2", 3000)};
	ServerEndpoint chosen;
	CHECK(chooseServer(found, "mine", "http://10.0.0.9:4000", server("", "10.0.0.5", 3100), chosen));
	CHECK_EQ(chosen.host, "10.0.0.5");
	CHECK_EQ(chosen.port, 3100);
	CHECK_EQ(chosen.id, "mine");
	CHECK(!chooseServer(found, "mine", "http://10.0.0.9:4000", ServerEndpoint{"", "", 0, "/api/v1"}, chosen));
	CHECK(!chooseServer({}, "mine", "", ServerEndpoint{"", "", 0, "/api/v1"}, chosen));
}

TEST("an unregistered device takes the configured URL, then the first server found")
{
	ServerEndpoint none{"", "", 0, "/api/v1"};
	std::vector<ServerEndpoint> found{server("aaa", "10.0.0.2", 3000)};
	ServerEndpoint chosen;
	CHECK(chooseServer(found, "", "http://10.0.0.9:4000", none, chosen));
	CHECK_EQ(chosen.host, "10.0.0.9");
	CHECK_EQ(chosen.id, "");
	CHECK(chooseServer(found, "", "not a url", none, chosen));
	CHECK_EQ(chosen.id, "aaa");
	CHECK(!chooseServer({server("x", "", 3000)}, "", "", none, chosen));
}

TEST("only a new enrollment lets a device leave its server")
{
	PersistedState state;
	state.serverId = "mine";
	state.token = "tok";
	state.lastHost = "10.0.0.5";
	state.lastPort = 3000;
	state.appliedCfgsn = 8;
	startNewEnrollment(state);
	ServerEndpoint last{state.serverId, state.lastHost, state.lastPort, "/api/v1"};
	ServerEndpoint chosen;
	CHECK(chooseServer({server("aaa", "10.0.0.2", 3000)}, state.serverId, "", last, chosen));
	CHECK_EQ(chosen.id, "aaa");
	CHECK_EQ(state.token, "");
	CHECK_EQ(state.appliedCfgsn, 8u); // the config stays until the new server sends its own
}

TEST("a discovery round ends as soon as the registered server answers")
{
	CHECK(!discoveryCanEnd({}, "mine"));
	CHECK(!discoveryCanEnd({server("aaa", "10.0.0.2", 3000)}, "mine"));
	CHECK(discoveryCanEnd({server("aaa", "10.0.0.2", 3000), server("mine", "10.0.0.3", 3000)}, "mine"));
	CHECK(!discoveryCanEnd({server("mine", "", 3000)}, "mine"));
	// Unregistered: the full window, so every server on the LAN is heard.
	CHECK(!discoveryCanEnd({server("aaa", "10.0.0.2", 3000)}, ""));
}
