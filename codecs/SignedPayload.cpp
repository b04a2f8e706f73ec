// SignedPayload: Poco::JSON parsing with member-by-member checks and precise messages.
#include "codecs/SignedPayload.h"

#include "codecs/JsonFlatObject.h"
#include "codecs/SignedTime.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace chukan {

Result<SignedPayload> SignedPayload::parse(const std::string& json, const std::string& type)
{
    Poco::JSON::Object::Ptr obj;
    JsonFlatObject::Members members;
    if (JsonFlatObject::read(json, members)) // a permit: no Poco parser needed
    {
        obj = new Poco::JSON::Object;
        for (auto& [name, value] : members)
            obj->set(name, std::move(value));
    }
    else
    {
        try
        {
            Poco::JSON::Parser parser;
            Poco::Dynamic::Var v = parser.parse(json);
            if (v.type() != typeid(Poco::JSON::Object::Ptr))
                return Status::invalid(type + ": payload is not a JSON object");
            obj = v.extract<Poco::JSON::Object::Ptr>();
        }
        catch (const Poco::Exception& e)
        {
            return Status::invalid(type + ": payload is not JSON (" + e.displayText() + ")");
        }
    }
    SignedPayload p(obj, type);
    Result<std::string> t = p.string("type");
    if (!t)
        return t.status();
    if (t.value() != type)
        return Status::invalid("payload of type '" + t.value() + "' where a " + type + " was expected");
    return p;
}

Result<std::string> SignedPayload::string(const std::string& name) const
{
    if (!_obj->has(name))
        return Status::invalid(_where + ": member '" + name + "' is missing");
    if (!_obj->get(name).isString())
        return Status::invalid(_where + ": member '" + name + "' is not a string");
    std::string v = _obj->getValue<std::string>(name);
    if (v.empty())
        return Status::invalid(_where + ": member '" + name + "' is empty");
    return v;
}

bool SignedPayload::isCode16(const std::string& s)
{
    if (s.size() != 16)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
            return false;
    return true;
}

Result<std::string> SignedPayload::code16(const std::string& name) const
{
    Result<std::string> v = string(name);
    if (!v)
        return v;
    if (!isCode16(v.value()))
        return Status::invalid(_where + ": member '" + name + "' value '" + v.value() +
                               "' is not 16 capital letters or digits");
    return v;
}

Result<Poco::Timestamp> SignedPayload::time(const std::string& name) const
{
    Result<std::string> v = string(name);
    if (!v)
        return v.status();
    return SignedTime::parse(v.value(), _where + ": member '" + name + "'");
}

Result<std::vector<SignedPayload>> SignedPayload::objects(const std::string& name) const
{
    if (!_obj->has(name))
        return Status::invalid(_where + ": member '" + name + "' is missing");
    Poco::JSON::Array::Ptr arr = _obj->getArray(name);
    if (!arr)
        return Status::invalid(_where + ": member '" + name + "' is not an array");
    std::vector<SignedPayload> out;
    for (std::size_t i = 0; i < arr->size(); ++i)
    {
        Poco::JSON::Object::Ptr o = arr->getObject(static_cast<unsigned>(i));
        std::string label = _where + " " + name + "[" + std::to_string(i) + "]";
        if (!o)
            return Status::invalid(label + ": not an object");
        out.push_back(SignedPayload(o, label));
    }
    return out;
}

Status SignedPayload::onlyMembers(const std::set<std::string>& allowed) const
{
    for (const auto& kv : *_obj)
        if (!allowed.count(kv.first))
            return Status::invalid(_where + ": unexpected member '" + kv.first + "'");
    return Status::ok();
}

std::string SignedPayload::stringify(const Poco::JSON::Object& obj)
{
    std::ostringstream out;
    obj.stringify(out); // default Object keeps members in a std::map: sorted by name
    return out.str();
}

} // namespace chukan
