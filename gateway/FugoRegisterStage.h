// FugoRegisterStage: 符号管理 — obtains a 符号 for each (統合宛名番号, 住民票コード) and keeps only
// (atena, 符号).
#pragma once

#include "codecs/LayoutCodec.h"
#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

#include <memory>
#include <vector>

namespace chukan
{

/// JSON (POST /api/v1/fugo): {"records": [{"atenaNo": "15 digits", "juminhyoCode": "11 digits"},
/// …]}. FIXED (POST /api/v1/fugo/file): 64-byte CP932 records of conf/layouts/fugo_request.xml; a
/// file with a bad record is refused whole (400, every bad field named by record, field and offset,
/// nothing requested), as is a file with a 個人番号 in any field. At most 10 000 records either
/// way. Reply 200: {"accepted": n, "rejected": m, "results": [{"record": 1, "atenaNo": …, "status":
/// "obtained" | "rejected", "error": …}]}. A bad record is reported and the others go on; the
/// 住民票コード is used for the network call only and is in no reply, row or log.
class FugoRegisterStage : public Stage
{
public:
    enum Input
    {
        JSON,
        FIXED
    };
    explicit FugoRegisterStage(GatewayServices& services, Input input = JSON);
    const char* name() const override { return "fugo_register"; }
    Outcome run(Exchange& exchange) override;

    static constexpr std::size_t MAX_RECORDS = 10000;

private:
    struct Request
    {
        std::size_t record = 0; ///< 1-based
        std::string atenaNo;
        std::string juminhyoCode; ///< overwritten once used
        std::string error;        ///< set when the record itself is bad
    };
    /// Parses the body into requests; false after replying with the error.
    bool parseJson(Exchange& exchange, std::vector<Request>& out) const;
    bool parseFixed(Exchange& exchange, std::vector<Request>& out) const;

    GatewayServices& _services;
    Input _input;
    std::shared_ptr<const LayoutCodec> _layout; ///< fugo_request (FIXED); null when it did not load
    std::string _layoutError;
    Counter& _obtained;
    Counter& _rejected;
};

} // namespace chukan
