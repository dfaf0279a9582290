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
	CHECK(chooseServer(found, "bbb", "http://10.0.0.9:3000", chosen));
	CHECK_EQ(chosen.id, "bbb");
	CHECK_EQ(chosen.host, "10.0.0.3");
	CHECK_EQ(chosen.port, 3001);
}

TEST("without a match the configured URL is used, then the first server found")
{
	std::vector<ServerEndpoint> found{server("aaa", "10.0.0.2", 3000)};
	ServerEndpoint chosen;
	CHECK(chooseServer(found, "gone", "http://10.0.0.9:4000", chosen));
	CHECK_EQ(chosen.host, "10.0.0.9");
	CHECK_EQ(chosen.id, "");
	CHECK(chooseServer(found, "gone", "", chosen));
	CHECK_EQ(chosen.id, "aaa");
	CHECK(chooseServer(found, "", "not a url", chosen));
	CHECK_EQ(chosen.id, "aaa");
	CHECK(!chooseServer({}, "gone", "", chosen));
	CHECK(!chooseServer({server("x", "", 3000)}, "", "", chosen));
}
