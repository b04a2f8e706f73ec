// IpnMessage: writes every network message kind with XmlWriter and reads it back after schema validation.
#include "codecs/IpnMessage.h"

#include "codecs/XmlValue.h"
#include "codecs/XmlWriter.h"

#include <array>
#include <string_view>

namespace chukan
{

namespace
{

const IpnMessage::Kind KINDS[] = {IpnMessage::Kind::FugoRequest,    IpnMessage::Kind::FugoResponse,
                                  IpnMessage::Kind::PermitRequest,  IpnMessage::Kind::PermitResponse,
                                  IpnMessage::Kind::Inquiry,        IpnMessage::Kind::ProvisionResponse,
                                  IpnMessage::Kind::Ack,            IpnMessage::Kind::Error,
                                  IpnMessage::Kind::Batch,          IpnMessage::Kind::BatchReply};

/// Standard alphabet with '=' padding and no line breaks (what Poco's Base64Encoder writes with
/// a line length of 0), in one pass into a sized string instead of through an ostream.
std::string base64(const std::string& bytes)
{
    static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char* in = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t n = bytes.size();
    std::string out((n + 2) / 3 * 4, '=');
    char* o = &out[0];
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3, o += 4)
    {
        unsigned v = (unsigned(in[i]) << 16) | (unsigned(in[i + 1]) << 8) | in[i + 2];
        o[0] = ALPHABET[v >> 18];
        o[1] = ALPHABET[(v >> 12) & 63];
        o[2] = ALPHABET[(v >> 6) & 63];
        o[3] = ALPHABET[v & 63];
    }
    if (i < n)
    {
        unsigned v = unsigned(in[i]) << 16 | (i + 1 < n ? unsigned(in[i + 1]) << 8 : 0u);
        o[0] = ALPHABET[v >> 18];
        o[1] = ALPHABET[(v >> 12) & 63];
        if (i + 1 < n)
            o[2] = ALPHABET[(v >> 6) & 63];
    }
    return out;
}

/// The value of a base64 character, or -1.
int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/// Decodes the text of a Payload element strictly, as xs:base64Binary reads it: XML white
/// space anywhere is ignored; what is left must be whole groups of four characters of the
/// standard alphabet, with '=' only as the padding of the last group and the padding's unused
/// bits zero (so every payload has exactly one spelling). The schema types Payload as a plain
/// string so that this is the only decoding (Xerces' base64Binary decoded every payload twice
/// more); the error names the element and the offset, in characters without white space.
Result<std::string> unbase64(const std::string& text)
{
    auto refuse = [](const std::string& why)
    { return Status::invalid("ProvisionResponse/Payload: not base64: " + why); };
    // Per byte: its sextet (0-63), WHITE (XML white space) or -1 (anything else, '=' included:
    // the padding is found from the end, before the groups are read).
    constexpr signed char WHITE = -2;
    static const std::array<signed char, 256> table = []
    {
        std::array<signed char, 256> t{};
        for (int c = 0; c < 256; ++c)
            t[static_cast<std::size_t>(c)] = static_cast<signed char>(sextet(static_cast<unsigned char>(c)));
        t[' '] = t['\t'] = t['\r'] = t['\n'] = WHITE;
        return t;
    }();
    // Only a text with white space in it is copied without it.
    std::string compact;
    std::string_view in(text);
    for (unsigned char c : text)
        if (table[c] == WHITE)
        {
            compact.reserve(text.size());
            for (char k : text)
                if (table[static_cast<unsigned char>(k)] != WHITE)
                    compact += k;
            in = compact;
            break;
        }
    const std::size_t n = in.size();
    if (n % 4 != 0)
        return refuse(std::to_string(n) + " characters (without white space), not a multiple of 4");
    std::size_t pad = n >= 1 && in[n - 1] == '=' ? (n >= 2 && in[n - 2] == '=' ? 2 : 1) : 0;
    std::string out(n / 4 * 3 - pad, '\0');
    char* o = out.data();
    const unsigned char* p = reinterpret_cast<const unsigned char*>(in.data());
    for (std::size_t i = 0; i < n; i += 4)
    {
        const bool last = i + 4 == n;
        const std::size_t real = last ? 4 - pad : 4; // characters of the group that are not padding
        int v[4] = {0, 0, 0, 0};
        bool bad = false;
        for (std::size_t k = 0; k < real; ++k)
        {
            v[k] = table[p[i + k]];
            bad |= v[k] < 0;
        }
        if (bad)
            for (std::size_t k = 0; k < real; ++k)
                if (v[k] < 0)
                {
                    unsigned char c = p[i + k];
                    std::string shown = c >= 0x20 && c < 0x7F ? std::string("'") + static_cast<char>(c) + "'"
                                                              : "byte " + std::to_string(static_cast<unsigned>(c));
                    return refuse(shown + " at offset " + std::to_string(i + k) +
                                  (c == '=' ? " (padding only ends the last group)" : ""));
                }
        unsigned bits = (unsigned(v[0]) << 18) | (unsigned(v[1]) << 12) | (unsigned(v[2]) << 6) | unsigned(v[3]);
        if (last && ((pad == 2 && (bits & 0xFFFF) != 0) || (pad == 1 && (bits & 0xFF) != 0)))
            return refuse("the last group before the padding has unused bits set (offset " +
                          std::to_string(i) + ")");
        *o++ = static_cast<char>(bits >> 16);
        if (real > 2)
            *o++ = static_cast<char>((bits >> 8) & 0xFF);
        if (real > 3)
            *o++ = static_cast<char>(bits & 0xFF);
    }
    return out;
}

} // namespace

const char* IpnMessage::kindName(Kind kind)
{
    switch (kind)
    {
    case Kind::FugoRequest: return "FugoRequest";
    case Kind::FugoResponse: return "FugoResponse";
    case Kind::PermitRequest: return "PermitRequest";
    case Kind::PermitResponse: return "PermitResponse";
    case Kind::Inquiry: return "Inquiry";
    case Kind::ProvisionResponse: return "ProvisionResponse";
    case Kind::Ack: return "Ack";
    case Kind::Error: return "Error";
    case Kind::Batch: return "Batch";
    case Kind::BatchReply: return "BatchReply";
    }
    return "Error";
}

Result<IpnMessage::Kind> IpnMessage::kindFromName(const std::string& name)
{
    for (Kind k : KINDS)
        if (name == kindName(k))
            return k;
    return Status::invalid("ipn message: root element " + name + " is not a message kind");
}

std::string IpnMessage::batchXml(Kind kind, const IpnHeader& header, const std::vector<std::string>& items)
{
    XmlWriter w;
    w.start(kindName(kind), {{"xmlns", NAMESPACE}});
    header.writeXml(w);
    for (const std::string& item : items)
        w.document(item);
    w.end();
    return w.str();
}

Result<std::string> IpnMessage::toXml() const
{
    if (isBatch(kind))
    {
        std::vector<std::string> written;
        written.reserve(items.size());
        for (const IpnMessage& item : items)
        {
            if (isBatch(item.kind))
                return Status::invalid(std::string("ipn ") + kindName(kind) + ": an item cannot be a " +
                                       kindName(item.kind));
            Result<std::string> xml = item.toXml();
            if (!xml)
                return xml.status();
            written.push_back(std::move(xml).value());
        }
        return batchXml(kind, header, written);
    }
    XmlWriter w;
    w.start(kindName(kind), {{"xmlns", NAMESPACE}});
    header.writeXml(w);
    switch (kind)
    {
    case Kind::FugoRequest: w.text("JuminhyoCode", juminhyoCode); break;
    case Kind::FugoResponse: w.text("Fugo", fugo); break;
    case Kind::PermitRequest:
        w.text("Provider", provider);
        w.text("JimuCode", jimuCode);
        w.text("ProcedureCode", procedureCode);
        w.text("DataItemCode", dataItemCode);
        w.text("RequesterFugo", requesterFugo);
        break;
    case Kind::PermitResponse:
        w.text("PermitId", permitId);
        w.text("SignedPermit", signedPermit);
        break;
    case Kind::Inquiry:
        w.text("Serial", serial);
        w.text("PermitId", permitId);
        w.text("SignedPermit", signedPermit);
        if (!providerFugo.empty())
            w.text("ProviderFugo", providerFugo);
        if (!route.empty())
            w.text("Route", route);
        break;
    case Kind::ProvisionResponse:
        w.text("Serial", serial);
        w.text("PermitId", permitId);
        w.text("Outcome", outcome);
        if (!reasonCode.empty())
            w.text("ReasonCode", reasonCode);
        if (hasPayload)
            w.text("Payload", base64(payload));
        if (!route.empty())
            w.text("Route", route);
        break;
    case Kind::Ack: w.text("Duplicate", duplicate ? "true" : "false"); break;
    case Kind::Error:
        w.text("Code", IpnErrorCodes::name(errorCode));
        w.text("Message", errorMessage);
        break;
    case Kind::Batch:
    case Kind::BatchReply: break; // above
    }
    w.end();
    if (!w.status())
        return Status::invalid(std::string("ipn ") + kindName(kind) + ": " +
                               w.status().message());
    return w.str();
}

Result<IpnMessage> IpnMessage::parse(const std::string& bytes, const SecureXmlParser& parser)
{
    SecureXmlParser::Outcome parsed = parser.parse(bytes);
    if (!parsed.ok())
        return Status::invalid("ipn message: " + parsed.summary());
    return fromElement(*parsed.root, true);
}

Result<IpnMessage> IpnMessage::fromElement(const XmlElement& root, bool batchAllowed)
{
    if (root.ns != NAMESPACE)
        return Status::invalid("ipn message: root element is not in namespace " +
                               std::string(NAMESPACE));
    Result<Kind> kind = kindFromName(root.name);
    if (!kind)
        return kind.status();
    const XmlElement* headerElement = root.child("Header");
    if (!headerElement)
        return Status::invalid(std::string("ipn ") + root.name + ": Header missing");
    Result<IpnHeader> header = IpnHeader::fromXml(*headerElement);
    if (!header)
        return Status::invalid(std::string("ipn ") + root.name + ": " + header.status().message());

    IpnMessage m;
    m.kind = kind.value();
    m.header = header.value();
    auto need = [&](const char* name, std::string& into) -> Status {
        into = XmlValue::token(root, name);
        if (into.empty())
            return Status::invalid(std::string("ipn ") + root.name + ": " + name + " missing");
        return Status::ok();
    };
    Status s;
    switch (m.kind)
    {
    case Kind::FugoRequest: s = need("JuminhyoCode", m.juminhyoCode); break;
    case Kind::FugoResponse: s = need("Fugo", m.fugo); break;
    case Kind::PermitRequest:
        for (auto& [name, field] :
             std::initializer_list<std::pair<const char*, std::string*>>{
                 {"Provider", &m.provider},
                 {"JimuCode", &m.jimuCode},
                 {"ProcedureCode", &m.procedureCode},
                 {"DataItemCode", &m.dataItemCode},
                 {"RequesterFugo", &m.requesterFugo}})
            if (s.isOk())
                s = need(name, *field);
        break;
    case Kind::PermitResponse:
        s = need("PermitId", m.permitId);
        m.signedPermit = root.childText("SignedPermit");
        break;
    case Kind::Inquiry:
        s = need("Serial", m.serial);
        if (s.isOk())
            s = need("PermitId", m.permitId);
        m.signedPermit = root.childText("SignedPermit");
        m.providerFugo = XmlValue::token(root, "ProviderFugo");
        m.route = XmlValue::token(root, "Route");
        break;
    case Kind::ProvisionResponse:
        s = need("Serial", m.serial);
        if (s.isOk())
            s = need("PermitId", m.permitId);
        if (s.isOk())
            s = need("Outcome", m.outcome);
        m.reasonCode = XmlValue::token(root, "ReasonCode");
        m.route = XmlValue::token(root, "Route");
        if (const XmlElement* p = root.child("Payload"))
        {
            Result<std::string> bytes = unbase64(p->text);
            if (!bytes)
                return bytes.status();
            m.payload = std::move(bytes).value();
            m.hasPayload = true;
        }
        break;
    case Kind::Ack:
    {
        std::optional<bool> d = XmlValue::boolean(root, "Duplicate");
        if (!d)
            return Status::invalid("ipn Ack: Duplicate missing or not a boolean");
        m.duplicate = *d;
        break;
    }
    case Kind::Error:
    {
        Result<IpnErrorCode> code = IpnErrorCodes::parse(XmlValue::token(root, "Code"));
        if (!code)
            return code.status();
        m.errorCode = code.value();
        m.errorMessage = root.childText("Message");
        break;
    }
    case Kind::Batch:
    case Kind::BatchReply:
    {
        if (!batchAllowed)
            return Status::invalid(std::string("ipn ") + root.name + ": a batch cannot be an item of a batch");
        if (root.children.size() - 1 > MAX_BATCH)
            return Status::invalid(std::string("ipn ") + root.name + ": " + std::to_string(root.children.size() - 1) +
                                   " items, at most " + std::to_string(MAX_BATCH) + " are allowed");
        m.items.reserve(root.children.size() - 1);
        std::size_t n = 0;
        for (const XmlElement& child : root.children)
        {
            if (&child == headerElement)
                continue;
            ++n;
            Result<IpnMessage> item = fromElement(child, false);
            if (!item)
                return Status::invalid(std::string("ipn ") + root.name + " item " + std::to_string(n) + ": " +
                                       item.status().message());
            if (m.kind == Kind::Batch && !m.items.empty() && item.value().kind != m.items.front().kind)
                return Status::invalid(std::string("ipn Batch item ") + std::to_string(n) + ": a " +
                                       kindName(item.value().kind) + " among " + kindName(m.items.front().kind) +
                                       " items (a batch carries one kind)");
            m.items.push_back(std::move(item).value());
        }
        if (m.items.empty())
            return Status::invalid(std::string("ipn ") + root.name + ": no items");
        break;
    }
    }
    if (!s)
        return s;
    return m;
}

IpnMessage IpnMessage::ack(const IpnHeader& request, bool duplicate, const Poco::Timestamp& now)
{
    IpnMessage m;
    m.kind = Kind::Ack;
    m.header = IpnHeader::replyTo(request, IpnHeader::newMessageId("ack"), now);
    m.duplicate = duplicate;
    return m;
}

IpnMessage IpnMessage::error(const IpnHeader& request, IpnErrorCode code, std::string message,
                             const Poco::Timestamp& now)
{
    IpnMessage m;
    m.kind = Kind::Error;
    m.header = IpnHeader::replyTo(request, IpnHeader::newMessageId("err"), now);
    m.errorCode = code;
    m.errorMessage = std::move(message);
    return m;
}

bool IpnMessage::operator==(const IpnMessage& o) const
{
    return kind == o.kind && header == o.header && juminhyoCode == o.juminhyoCode &&
           fugo == o.fugo && provider == o.provider && jimuCode == o.jimuCode &&
           procedureCode == o.procedureCode && dataItemCode == o.dataItemCode &&
           requesterFugo == o.requesterFugo && permitId == o.permitId &&
           signedPermit == o.signedPermit && serial == o.serial &&
           providerFugo == o.providerFugo && route == o.route && outcome == o.outcome &&
           reasonCode == o.reasonCode && payload == o.payload && hasPayload == o.hasPayload &&
           duplicate == o.duplicate && errorCode == o.errorCode && errorMessage == o.errorMessage &&
           items == o.items;
}

} // namespace chukan
