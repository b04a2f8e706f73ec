// IpnSimApp: the ipn-sim ServerApplication — --help, --config FILE, then serves the simulated network over mutual TLS.
#pragma once

#include <Poco/Util/ServerApplication.h>

namespace chukan
{

class IpnSimApp : public Poco::Util::ServerApplication
{
public:
    IpnSimApp();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    void initialize(Poco::Util::Application& self) override;
    int main(const std::vector<std::string>& args) override;

private:
    void displayHelp();
    bool _helpRequested = false;
    std::string _configFile;
};

} // namespace chukan
