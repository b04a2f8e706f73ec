// RefuseMyNumberStage: refuses any request whose body carries a 個人番号, before anything is stored or logged.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan {

class RefuseMyNumberStage : public Stage
{
public:
    explicit RefuseMyNumberStage(GatewayServices& services)
        : _refused(services.metrics.counter("chukan_mynumber_refused_total", "",
                                            "Requests refused because they carried a 個人番号"))
    {
    }
    const char* name() const override { return "refuse_mynumber"; }
    Outcome run(Exchange& exchange) override;

private:
    Counter& _refused;
};

} // namespace chukan
