// Result<T>: either a value or the Status that explains why there is none.
#pragma once

#include "codecs/Status.h"

#include <cassert>
#include <optional>
#include <utility>

namespace chukan {

template <typename T>
class Result
{
public:
    Result(T value) : _value(std::move(value)) {}
    Result(Status status) : _status(std::move(status)) { assert(!_status.isOk()); }

    bool isOk() const { return _value.has_value(); }
    explicit operator bool() const { return isOk(); }
    const Status& status() const { return _status; }

    /// REQUIRES: isOk().
    const T& value() const& { return *_value; }
    T& value() & { return *_value; }
    T&& value() && { return std::move(*_value); }
    const T& operator*() const { return *_value; }
    const T* operator->() const { return &*_value; }

private:
    std::optional<T> _value;
    Status _status;
};

} // namespace chukan
