// ConvertCommand: `chukanctl convert --from ENC --to ENC`, stdin to stdout.
#pragma once

#include "gateway/CtlCommand.h"

#include <iostream>

namespace chukan
{

/// Needs no configuration file or store. Converts all or nothing: on the first bad byte or
/// unrepresentable character it writes nothing and reports the input byte offset.
class ConvertCommand : public CtlCommand
{
public:
    explicit ConvertCommand(std::istream& in = std::cin) : _in(in) {}
    std::string name() const override { return "convert"; }
    std::string summary() const override
    {
        return "convert text between utf-8, cp932 and shift_jis (stdin to stdout)";
    }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;

private:
    std::istream& _in;
};

} // namespace chukan
