// PermitList: parsing, serialisation and lookup of the signed permission list.
#include "codecs/PermitList.h"

#include "codecs/SignedPayload.h"
#include "codecs/SignedTime.h"

#include <Poco/JSON/Array.h>

namespace chukan {

std::string PermitList::toJson() const
{
    Poco::JSON::Object obj;
    obj.set("type", std::string(TYPE));
    obj.set("listId", listId);
    obj.set("issuedAt", SignedTime::format(issuedAt));
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const Entry& e : entries)
    {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("requesterInstitution", e.requesterInstitution);
        o->set("providerInstitution", e.providerInstitution);
        o->set("jimuCode", e.jimuCode);
        o->set("procedureCode", e.procedureCode);
        o->set("dataItemCode", e.dataItemCode);
        o->set("validFrom", SignedTime::format(e.validFrom));
        o->set("validTo", SignedTime::format(e.validTo));
        arr->add(o);
    }
    obj.set("entries", arr);
    return SignedPayload::stringify(obj);
}

Result<PermitList> PermitList::parse(const std::string& payload)
{
    Result<SignedPayload> parsed = SignedPayload::parse(payload, TYPE);
    if (!parsed)
        return parsed.status();
    const SignedPayload& p = parsed.value();
    Status s = p.onlyMembers({"type", "listId", "issuedAt", "entries"});
    if (!s)
        return s;
    PermitList out;
    Result<std::string> id = p.string("listId");
    if (!id)
        return id.status();
    out.listId = id.value();
    Result<Poco::Timestamp> issued = p.time("issuedAt");
    if (!issued)
        return issued.status();
    out.issuedAt = issued.value();
    Result<std::vector<SignedPayload>> items = p.objects("entries");
    if (!items)
        return items.status();
    for (const SignedPayload& item : items.value())
    {
        s = item.onlyMembers({"requesterInstitution", "providerInstitution", "jimuCode", "procedureCode",
                              "dataItemCode", "validFrom", "validTo"});
        if (!s)
            return s;
        Entry e;
        std::pair<const char*, std::string*> codes[] = {{"requesterInstitution", &e.requesterInstitution},
                                                        {"providerInstitution", &e.providerInstitution},
                                                        {"jimuCode", &e.jimuCode},
                                                        {"procedureCode", &e.procedureCode},
                                                        {"dataItemCode", &e.dataItemCode}};
        for (auto& c : codes)
        {
            Result<std::string> v = item.code16(c.first);
            if (!v)
                return v.status();
            *c.second = v.value();
        }
        Result<Poco::Timestamp> from = item.time("validFrom");
        if (!from)
            return from.status();
        Result<Poco::Timestamp> to = item.time("validTo");
        if (!to)
            return to.status();
        if (!(from.value() < to.value()))
            return Status::invalid(item.where() + ": validFrom is not before validTo");
        e.validFrom = from.value();
        e.validTo = to.value();
        out.entries.push_back(e);
    }
    return out;
}

const PermitList::Entry* PermitList::find(const std::string& requester, const std::string& provider,
                                          const std::string& jimu, const std::string& procedure,
                                          const std::string& dataItem, const Poco::Timestamp& at) const
{
    for (const Entry& e : entries)
        if (e.requesterInstitution == requester && e.providerInstitution == provider && e.jimuCode == jimu &&
            e.procedureCode == procedure && e.dataItemCode == dataItem && !(at < e.validFrom) && at < e.validTo)
            return &e;
    return nullptr;
}

} // namespace chukan
