// SealCommand: `chukanctl seal --recipient CERT [--pem]` — stdin sealed as CMS AuthEnvelopedData to stdout.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan {

class SealCommand : public CtlCommand
{
public:
    std::string name() const override { return "seal"; }
    std::string summary() const override { return "encrypt stdin for a recipient certificate (CMS, AES-256-GCM)"; }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
