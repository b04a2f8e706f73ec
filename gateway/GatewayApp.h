// GatewayApp: the chukan-gateway ServerApplication — validates settings, migrates the store, serves HTTPS.
#pragma once

#include <Poco/Util/ServerApplication.h>

namespace chukan {

struct Settings;

class GatewayApp : public Poco::Util::ServerApplication
{
public:
    GatewayApp();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    void initialize(Poco::Util::Application& self) override;
    int main(const std::vector<std::string>& args) override;

private:
    void displayHelp();
    /// Validates the configuration (and the schema and layout directories it names), prints a
    /// summary and exits: 0 valid, 78 not (the message names the key).
    int checkConfig(const Settings& settings);
    bool _helpRequested = false;
    bool _checkOnly = false;
    std::string _configFile;
};

} // namespace chukan
