// ipn-sim: entry point of the network simulator.
#include "tests/netsim/IpnSimApp.h"

#include <Poco/Util/ServerApplication.h>

int main(int argc, char** argv)
{
    chukan::IpnSimApp app;
    return app.run(argc, argv);
}
