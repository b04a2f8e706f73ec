// SystemCommand: `chukanctl system add|list|enable|disable` — the allow-list of connected business systems.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan {

class SystemCommand : public CtlCommand
{
public:
    std::string name() const override { return "system"; }
    std::string summary() const override { return "register connected business systems and their rights"; }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;

    /// SHA-256 of the first certificate in a PEM file, lowercase hex, or the reason it failed.
    static Result<std::string> fingerprintOf(const std::string& pemPath);
};

} // namespace chukan
