// ReplicaRegisterStage: 副本 registration — decodes a replica registration message and stores each record's version.
#pragma once

#include "codecs/ReplicaRegistrationCodec.h"
#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan {

/// Body: the replica registration XML (conf/schemas/replica-registration.xsd). A document that
/// is not valid is refused whole (400 with line:col). Each valid record is then stored
/// (register: a new version; delete: a tombstone version) and reported on its own:
/// {"messageId", "mode", "accepted", "rejected", "results": [{"record", "recordId", "status":
/// "registered" | "deleted" | "checked" | "rejected", "error"}]}. Mode "test" checks every
/// record against the store's rules and stores nothing ("checked").
class ReplicaRegisterStage : public Stage
{
public:
    explicit ReplicaRegisterStage(GatewayServices& services);
    const char* name() const override { return "replica_register"; }
    Outcome run(Exchange& exchange) override;

private:
    GatewayServices& _services;
    std::unique_ptr<ReplicaRegistrationCodec> _codec;
    Status _codecStatus;
    Counter& _stored;
    Counter& _rejected;
};

} // namespace chukan
