// SimFaults: fault switches behind one mutex, JSON in and out.
#include "tests/netsim/SimFaults.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace chukan
{

SimFaults::State SimFaults::state() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _state;
}

void SimFaults::set(const State& s)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _state = s;
}

int SimFaults::delayMs() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _state.delayMs;
}

bool SimFaults::plainForwards() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _state.delayMs == 0 && _state.dropNext == 0 && _state.duplicateNext == 0 && !_state.noBatch;
}

bool SimFaults::noBatch() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _state.noBatch;
}

bool SimFaults::take(int State::*member)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_state.*member <= 0)
        return false;
    --(_state.*member);
    return true;
}

bool SimFaults::takeReorder()
{
    std::lock_guard<std::mutex> lock(_mutex);
    bool r = _state.reorder;
    _state.reorder = false;
    return r;
}

bool SimFaults::isDown(Poco::Int64 nowMicros) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return nowMicros < _state.downUntilMicros;
}

Status SimFaults::apply(const std::string& json, Poco::Int64 nowMicros)
{
    Poco::JSON::Object::Ptr o;
    try
    {
        Poco::Dynamic::Var v = Poco::JSON::Parser().parse(json);
        o = v.extract<Poco::JSON::Object::Ptr>();
    }
    catch (const std::exception&)
    {
        return Status::invalid("faults: body is not a JSON object");
    }
    State next = state();
    if (o->has("reset") && o->getValue<bool>("reset"))
        next = State();
    auto number = [&](const char* name, int& into) -> Status {
        if (!o->has(name))
            return Status::ok();
        try
        {
            int v = o->getValue<int>(name);
            if (v < 0)
                return Status::invalid(std::string("faults: ") + name + " must not be negative");
            into = v;
            return Status::ok();
        }
        catch (const std::exception&)
        {
            return Status::invalid(std::string("faults: ") + name + " must be a number");
        }
    };
    for (const std::string& name : o->getNames())
        if (name != "reset" && name != "delayMs" && name != "dropNext" &&
            name != "duplicateNext" && name != "reorder" && name != "corruptSignatureNext" &&
            name != "expirePermitNext" && name != "replayNext" && name != "downForMs" && name != "noBatch")
            return Status::invalid("faults: unknown member '" + name + "'");
    int downForMs = -1;
    for (auto [name, into] : std::initializer_list<std::pair<const char*, int*>>{
             {"delayMs", &next.delayMs},
             {"dropNext", &next.dropNext},
             {"duplicateNext", &next.duplicateNext},
             {"corruptSignatureNext", &next.corruptSignatureNext},
             {"expirePermitNext", &next.expirePermitNext},
             {"replayNext", &next.replayNext},
             {"downForMs", &downForMs}})
    {
        Status s = number(name, *into);
        if (!s)
            return s;
    }
    if (downForMs >= 0)
        next.downUntilMicros = downForMs == 0 ? 0 : nowMicros + Poco::Int64(downForMs) * 1000;
    for (auto [name, into] : std::initializer_list<std::pair<const char*, bool*>>{{"reorder", &next.reorder},
                                                                                 {"noBatch", &next.noBatch}})
        if (o->has(name))
        {
            try
            {
                *into = o->getValue<bool>(name);
            }
            catch (const std::exception&)
            {
                return Status::invalid(std::string("faults: ") + name + " must be true or false");
            }
        }
    set(next);
    return Status::ok();
}

std::string SimFaults::toJson(Poco::Int64 nowMicros) const
{
    State s = state();
    Poco::JSON::Object o;
    o.set("delayMs", s.delayMs);
    o.set("dropNext", s.dropNext);
    o.set("duplicateNext", s.duplicateNext);
    o.set("reorder", s.reorder);
    o.set("noBatch", s.noBatch);
    o.set("corruptSignatureNext", s.corruptSignatureNext);
    o.set("expirePermitNext", s.expirePermitNext);
    o.set("replayNext", s.replayNext);
    o.set("downForMs", s.downUntilMicros > nowMicros ? (s.downUntilMicros - nowMicros) / 1000 : 0);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

} // namespace chukan
