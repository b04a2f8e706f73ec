// LayoutCommand: `chukanctl layout decode|encode|list` — fixed-length files to JSON lines and back.
#pragma once

#include "gateway/CtlCommand.h"

#include <iostream>

namespace chukan
{

/// Needs no configuration file or store. Layouts come from --layouts DIR (default
/// $CHUKAN_LAYOUTS, else conf/layouts); NAME resolves to DIR/NAME.xml.
class LayoutCommand : public CtlCommand
{
public:
    explicit LayoutCommand(std::istream& in = std::cin) : _in(in) {}
    std::string name() const override { return "layout"; }
    std::string summary() const override
    {
        return "decode, encode or list fixed-length record layouts";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;

private:
    std::istream& _in;
};

} // namespace chukan
