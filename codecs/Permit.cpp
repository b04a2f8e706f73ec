// Permit: strict parsing (known members only, code shapes, notBefore < expiry) and canonical serialisation.
#include "codecs/Permit.h"

#include "codecs/JsonText.h"
#include "codecs/SignedPayload.h"
#include "codecs/SignedTime.h"

namespace chukan {

namespace {

bool charsetOk(const std::string& s, std::size_t min, std::size_t max, const char* extra)
{
    if (s.size() < min || s.size() > max)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              std::string(extra).find(c) != std::string::npos))
            return false;
    return true;
}

} // namespace

std::string Permit::toJson() const
{
    // Members sorted by name, as Poco's default JSON Object writes them (the permits the network
    // signed before this was written directly read and verify alike); written straight into
    // one string, which costs a fiftieth of building and stringifying a Poco Object.
    const std::pair<const char*, std::string> members[] = {
        {"dataItemCode", dataItemCode},
        {"expiry", SignedTime::format(expiry)},
        {"issuedAt", SignedTime::format(issuedAt)},
        {"jimuCode", jimuCode},
        {"nonce", nonce},
        {"notBefore", SignedTime::format(notBefore)},
        {"permitId", permitId},
        {"procedureCode", procedureCode},
        {"providerInstitution", providerInstitution},
        {"requesterInstitution", requesterInstitution},
        {"type", std::string(TYPE)},
    };
    std::string out;
    out.reserve(512);
    out += '{';
    for (const auto& [name, value] : members)
    {
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += name;
        out += "\":";
        JsonText::appendQuoted(out, value);
    }
    out += '}';
    return out;
}

Result<Permit> Permit::parse(const std::string& payload)
{
    Result<SignedPayload> parsed = SignedPayload::parse(payload, TYPE);
    if (!parsed)
        return parsed.status();
    const SignedPayload& p = parsed.value();
    Status s = p.onlyMembers({"type", "permitId", "requesterInstitution", "providerInstitution", "jimuCode",
                              "procedureCode", "dataItemCode", "issuedAt", "notBefore", "expiry", "nonce"});
    if (!s)
        return s;
    Permit out;
    struct CodeField
    {
        const char* name;
        std::string* into;
    } codes[] = {{"requesterInstitution", &out.requesterInstitution},
                 {"providerInstitution", &out.providerInstitution},
                 {"jimuCode", &out.jimuCode},
                 {"procedureCode", &out.procedureCode},
                 {"dataItemCode", &out.dataItemCode}};
    for (const CodeField& f : codes)
    {
        Result<std::string> v = p.code16(f.name);
        if (!v)
            return v.status();
        *f.into = v.value();
    }
    Result<std::string> id = p.string("permitId");
    if (!id)
        return id.status();
    if (!charsetOk(id.value(), 1, 64, "._-"))
        return Status::invalid(std::string(TYPE) + ": member 'permitId' value '" + id.value() +
                               "' is not 1-64 of [A-Za-z0-9._-]");
    out.permitId = id.value();
    Result<std::string> nonce = p.string("nonce");
    if (!nonce)
        return nonce.status();
    if (!charsetOk(nonce.value(), 16, 128, "_-"))
        return Status::invalid(std::string(TYPE) + " " + out.permitId +
                               ": member 'nonce' is not 16-128 of [A-Za-z0-9_-]");
    out.nonce = nonce.value();
    struct TimeField
    {
        const char* name;
        Poco::Timestamp* into;
    } times[] = {{"issuedAt", &out.issuedAt}, {"notBefore", &out.notBefore}, {"expiry", &out.expiry}};
    for (const TimeField& f : times)
    {
        Result<Poco::Timestamp> t = p.time(f.name);
        if (!t)
            return t.status();
        *f.into = t.value();
    }
    if (!(out.notBefore < out.expiry))
        return Status::invalid(std::string(TYPE) + " " + out.permitId + ": notBefore " +
                               SignedTime::format(out.notBefore) + " is not before expiry " +
                               SignedTime::format(out.expiry));
    return out;
}

} // namespace chukan
