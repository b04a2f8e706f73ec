// chukan-gateway: entry point of the intermediate server.
#include "gateway/GatewayApp.h"

int main(int argc, char** argv)
{
    chukan::GatewayApp app;
    return app.run(argc, argv);
}
