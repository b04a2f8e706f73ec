// OpenCommand: `chukanctl open --key KEY [--cert CERT]` — a CMS AuthEnvelopedData on stdin decrypted to stdout.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan {

class OpenCommand : public CtlCommand
{
public:
    std::string name() const override { return "open"; }
    std::string summary() const override { return "decrypt a CMS envelope from stdin with a private key"; }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
