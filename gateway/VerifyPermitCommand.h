// VerifyPermitCommand: `chukanctl verify-permit FILE --trust CA_PEM` — checks a signed 情報提供許可証 and prints it.
#pragma once

#include "gateway/CtlCommand.h"

namespace chukan {

class VerifyPermitCommand : public CtlCommand
{
public:
    std::string name() const override { return "verify-permit"; }
    std::string summary() const override { return "verify a signed provision permit (情報提供許可証)"; }
    std::string help() const override;
    int run(CtlContext& ctx, const std::vector<std::string>& args) override;
};

} // namespace chukan
