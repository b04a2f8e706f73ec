// XmlCommand: `chukanctl xml validate --schema NAME FILE` — checks a message against conf/schemas with the secure parser.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan {

class XmlCommand : public CtlCommand
{
public:
    std::string name() const override { return "xml"; }
    std::string summary() const override { return "validate an XML message against a schema (no DTDs, no entities)"; }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
