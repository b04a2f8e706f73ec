// GatewayServices: the long-lived, shared collaborators of every stage (settings, clock, store, network, metrics).
#pragma once

#include "adapters/Clock.h"
#include "adapters/Database.h"
#include "codecs/XmlSchemaCatalog.h"
#include "gateway/ExchangeSignals.h"
#include "gateway/Metrics.h"
#include "gateway/NetworkDocuments.h"
#include "gateway/NetworkPort.h"
#include "gateway/Settings.h"

#include <memory>

namespace chukan {

/// Built once at start and shared read-only by the listener threads; everything reachable
/// from it is thread-safe. Tests build one over a temp store, a ManualClock and a fake network.
struct GatewayServices
{
    Settings settings;
    std::shared_ptr<Clock> clock;
    std::shared_ptr<Database> db;
    std::shared_ptr<NetworkPort> network; ///< null when no network is configured
    std::shared_ptr<XmlSchemaCatalog> schemas;
    std::shared_ptr<NetworkDocuments> documents; ///< null when no network is configured
    Metrics metrics;
    /// Wake-ups between the request threads and the worker (in-process only).
    std::shared_ptr<ExchangeSignals> signals = std::make_shared<ExchangeSignals>();

    GatewayServices(Settings s, std::shared_ptr<Clock> c, std::shared_ptr<Database> d,
                    std::shared_ptr<NetworkPort> n)
        : settings(std::move(s)), clock(std::move(c)), db(std::move(d)), network(std::move(n)),
          schemas(std::make_shared<XmlSchemaCatalog>(settings.schemasDir))
    {
    }
};

} // namespace chukan
