// CtlContext: loads the configuration and store for chukanctl commands, reporting failures by key.
#include "gateway/CtlCommand.h"

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <Poco/Util/XMLConfiguration.h>

namespace chukan {

const Settings* CtlContext::settings()
{
    if (_settings)
        return _settings.get();
    if (!Poco::File(_configFile).exists())
    {
        err << "chukanctl: configuration file '" << _configFile << "' does not exist (use --config FILE)" << std::endl;
        _failureCode = CTL_CONFIG;
        return nullptr;
    }
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> config;
    try
    {
        if (_configFile.size() > 4 && _configFile.compare(_configFile.size() - 4, 4, ".xml") == 0)
            config = new Poco::Util::XMLConfiguration(_configFile);
        else
            config = new Poco::Util::PropertyFileConfiguration(_configFile);
    }
    catch (const Poco::Exception& e)
    {
        err << "chukanctl: cannot read " << _configFile << ": " << e.displayText() << std::endl;
        _failureCode = CTL_CONFIG;
        return nullptr;
    }
    Result<Settings> s = Settings::load(*config, false);
    if (!s)
    {
        err << "chukanctl: configuration error in " << _configFile << ": " << s.status().message() << std::endl;
        _failureCode = CTL_CONFIG;
        return nullptr;
    }
    _settings.reset(new Settings(s.value()));
    return _settings.get();
}

Database* CtlContext::database()
{
    if (_db)
        return _db.get();
    const Settings* s = settings();
    if (!s)
        return nullptr;
    Result<std::shared_ptr<Database>> db = Database::open(s->store);
    if (!db)
    {
        err << "chukanctl: " << db.status().message() << std::endl;
        _failureCode = CTL_UNAVAILABLE;
        return nullptr;
    }
    _db = db.value();
    return _db.get();
}

} // namespace chukan
