// ConsoleCsrfStage: every state-changing console request must carry its session's CSRF token in X-CSRF-Token.
#pragma once

#include "gateway/Stage.h"

namespace chukan
{

/// For POST after ConsoleSessionStage: X-CSRF-Token must equal the session's token
/// (constant-time); missing or wrong → 403 CSRF_REJECTED. A cross-site form cannot set the
/// header, and another site cannot read the token.
class ConsoleCsrfStage : public Stage
{
public:
    const char* name() const override { return "console_csrf"; }
    Outcome run(Exchange& exchange) override;
};

} // namespace chukan
