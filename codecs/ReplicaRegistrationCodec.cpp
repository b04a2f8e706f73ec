// ReplicaRegistrationCodec: writes and reads <ReplicaRegistration> with Records of Record.
#include "codecs/ReplicaRegistrationCodec.h"

#include "codecs/XmlValue.h"
#include "codecs/XmlWriter.h"

namespace chukan {

ReplicaRegistrationCodec::ReplicaRegistrationCodec(std::shared_ptr<const XmlSchema> schema,
                                                   SecureXmlParser::Limits limits)
    : _parser(std::move(schema), limits), _dataParser(nullptr, limits)
{
}

Result<std::string> ReplicaRegistrationCodec::encode(const ReplicaRegistration& m)
{
    XmlWriter w;
    w.start("ReplicaRegistration",
            {{"xmlns", NAMESPACE}, {"xmlns:xsi", XmlElement::XSI_NAMESPACE}});
    m.header.writeXml(w);
    w.start("Records");
    for (const ReplicaRecord& r : m.records)
    {
        w.start("Record");
        w.text("RecordID", r.recordId);
        w.text("Operation", ReplicaRecord::operationName(r.operation));
        w.text("TougouAtenaNo", r.atenaNo);
        w.text("DataItemCode", r.dataItemCode);
        w.text("DataSetKey", r.dataSetKey);
        w.text("Version", std::to_string(r.version));
        w.text("PublishFrom", r.publishFrom);
        if (!r.publishTo.empty())
            w.text("PublishTo", r.publishTo);
        w.text("AutoAnswer", r.autoAnswer ? "true" : "false");
        if (r.dataNil)
            w.empty("Data", {{"xsi:nil", "true"}, {"NilReason", r.nilReason}});
        else
            w.data("Data", r.data);
        w.end();
    }
    w.end();
    w.end();
    if (!w.status())
        return Status::invalid("replica registration: " + w.status().message());
    return w.str();
}

Result<ReplicaRegistration> ReplicaRegistrationCodec::decode(const std::string& xml) const
{
    SecureXmlParser::Outcome parsed = _parser.parse(xml);
    if (!parsed.ok())
        return Status::invalid("replica registration: " + parsed.summary());
    const XmlElement& root = *parsed.root;
    if (root.name != "ReplicaRegistration")
        return Status::invalid("replica registration: root element is " + root.name + ", expected ReplicaRegistration");
    const XmlElement* headerElement = root.child("MessageHeader");
    const XmlElement* records = root.child("Records");
    if (!headerElement || !records)
        return Status::invalid("replica registration: MessageHeader or Records missing");
    Result<MessageHeader> header = MessageHeader::fromXml(*headerElement);
    if (!header)
        return Status::invalid("replica registration: " + header.status().message());

    ReplicaRegistration m;
    m.header = header.value();
    std::size_t number = 0;
    for (const XmlElement* e : records->childrenNamed("Record"))
    {
        ++number;
        ReplicaRecord r;
        r.recordId = XmlValue::token(*e, "RecordID");
        std::string where = "record " + std::to_string(number) + " (RecordID " + r.recordId + ", " + e->where() + ")";
        r.operation = XmlValue::token(*e, "Operation") == "delete" ? ReplicaRecord::REMOVE : ReplicaRecord::REGISTER;
        r.atenaNo = XmlValue::token(*e, "TougouAtenaNo");
        r.dataItemCode = XmlValue::token(*e, "DataItemCode");
        r.dataSetKey = XmlValue::token(*e, "DataSetKey");
        std::optional<long> version = XmlValue::integer(*e, "Version");
        std::optional<bool> autoAnswer = XmlValue::boolean(*e, "AutoAnswer");
        if (!version || !autoAnswer)
            return Status::invalid("replica registration: " + where + ": Version or AutoAnswer unreadable");
        r.version = static_cast<int>(*version);
        r.autoAnswer = *autoAnswer;
        r.publishFrom = XmlValue::token(*e, "PublishFrom");
        r.publishTo = XmlValue::token(*e, "PublishTo");
        const XmlElement* data = e->child("Data");
        if (!data)
            return Status::invalid("replica registration: " + where + ": Data missing");
        const std::string* reason = data->attribute("NilReason");
        r.dataNil = data->isNil();
        if (r.dataNil)
        {
            if (!reason || reason->empty())
                return Status::invalid("replica registration: " + where + ": Data is xsi:nil but has no NilReason");
            r.nilReason = *reason;
        }
        else
        {
            if (reason)
                return Status::invalid("replica registration: " + where + ": NilReason given but Data is not xsi:nil");
            r.data = data->text;
            SecureXmlParser::Outcome inner = _dataParser.parse(r.data);
            if (!inner.ok())
                return Status::invalid("replica registration: " + where + ": Data is not well-formed XML: " +
                                       inner.summary(3));
        }
        m.records.push_back(std::move(r));
    }
    return m;
}

} // namespace chukan
