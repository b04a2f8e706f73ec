// CtlCommand: one chukanctl command group (db, tenant, layout, …) and the context it runs in.
#pragma once

#include "adapters/Database.h"
#include "gateway/Settings.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace chukan {

/// Exit codes shared by every chukanctl command.
enum CtlExit
{
    CTL_OK = 0,
    CTL_FAILED = 1,      ///< the operation ran and found problems (bad records, broken chain, …)
    CTL_USAGE = 2,       ///< bad command line
    CTL_UNAVAILABLE = 69,///< store or network unreachable
    CTL_CONFIG = 78      ///< configuration error
};

/// Lazily loads the settings and opens the store on first use.
class CtlContext
{
public:
    CtlContext(std::string configFile, std::ostream& out, std::ostream& err)
        : _configFile(std::move(configFile)), out(out), err(err)
    {
    }

    /// Settings from the config file (store keys only). Prints the error and returns null on failure.
    const Settings* settings();
    /// The opened store, migrated or not. Prints the error and returns null on failure.
    Database* database();
    /// Exit code to use after settings()/database() returned null.
    int failureCode() const { return _failureCode; }
    const std::string& configFile() const { return _configFile; }

private:
    std::string _configFile;
    std::unique_ptr<Settings> _settings;
    std::shared_ptr<Database> _db;
    int _failureCode = CTL_OK;

public:
    std::ostream& out;
    std::ostream& err;
};

class CtlCommand
{
public:
    virtual ~CtlCommand() = default;
    /// The first word on the command line, e.g. "db".
    virtual std::string name() const = 0;
    /// One line for `chukanctl --help`.
    virtual std::string summary() const = 0;
    /// The full help text for `chukanctl NAME --help`.
    virtual std::string help() const = 0;
    /// Runs with the words after the name; returns a CtlExit code.
    virtual int run(CtlContext& ctx, const std::vector<std::string>& args) = 0;
};

/// Every command group, in the order `chukanctl --help` lists them (CtlCommands.cpp).
std::vector<std::unique_ptr<CtlCommand>> allCtlCommands();

} // namespace chukan
