// RefuseMyNumberStage: a 12-digit run with a valid check digit anywhere in the body stops the request.
#include "gateway/RefuseMyNumberStage.h"

#include "codecs/MyNumber.h"

namespace chukan {

Stage::Outcome RefuseMyNumberStage::run(Exchange& ex)
{
    if (!MyNumber::containsCandidate(ex.body))
        return CONTINUE;
    _refused.inc();
    // The message names no value: echoing it would put the number in the business system's logs.
    ex.fail(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST, "MYNUMBER_REFUSED",
            "the request contains a 個人番号 (12 digits with a valid check digit); the intermediate "
            "server must not receive it — send the 統合宛名番号 instead. Nothing was stored.");
    return STOP;
}

} // namespace chukan
