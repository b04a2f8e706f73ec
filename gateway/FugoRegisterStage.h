// FugoRegisterStage: 符号管理 — obtains a 符号 for each (統合宛名番号, 住民票コード) and keeps only (atena, 符号).
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan {

/// Body: {"records": [{"atenaNo": "15 digits", "juminhyoCode": "11 digits"}, …]} (at most 10 000).
/// Reply 200: {"accepted": n, "rejected": m, "results": [{"record": 1, "atenaNo": …,
/// "status": "obtained" | "rejected", "error": …}]}. A bad record is reported and the others
/// go on; the 住民票コード is used for the network call only and is in no reply, row or log.
class FugoRegisterStage : public Stage
{
public:
    explicit FugoRegisterStage(GatewayServices& services);
    const char* name() const override { return "fugo_register"; }
    Outcome run(Exchange& exchange) override;

    static constexpr std::size_t MAX_RECORDS = 10000;

private:
    GatewayServices& _services;
    Counter& _obtained;
    Counter& _rejected;
};

} // namespace chukan
