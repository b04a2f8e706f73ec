// Status: an expected failure as a value (code plus a message naming record, field and reason).
#pragma once

#include <string>
#include <utility>

namespace chukan {

class Status
{
public:
    enum Code
    {
        OK = 0,
        INVALID_ARGUMENT,   ///< input is malformed; nothing was changed
        NOT_FOUND,          ///< the named row or item does not exist (for this tenant)
        ALREADY_EXISTS,     ///< a unique key is taken
        PERMISSION_DENIED,  ///< caller or request is not allowed
        FAILED_PRECONDITION,///< state does not allow the operation (e.g. schema too new)
        CORRUPTION,         ///< stored or received data fails an integrity check
        UNAVAILABLE,        ///< a dependency (store, network) cannot be reached
        INTERNAL            ///< a bug or an unexpected exception
    };

    Status() = default;
    Status(Code code, std::string message) : _code(code), _message(std::move(message)) {}

    static Status ok() { return Status(); }
    static Status invalid(std::string m) { return Status(INVALID_ARGUMENT, std::move(m)); }
    static Status notFound(std::string m) { return Status(NOT_FOUND, std::move(m)); }
    static Status exists(std::string m) { return Status(ALREADY_EXISTS, std::move(m)); }
    static Status denied(std::string m) { return Status(PERMISSION_DENIED, std::move(m)); }
    static Status precondition(std::string m) { return Status(FAILED_PRECONDITION, std::move(m)); }
    static Status corruption(std::string m) { return Status(CORRUPTION, std::move(m)); }
    static Status unavailable(std::string m) { return Status(UNAVAILABLE, std::move(m)); }
    static Status internal(std::string m) { return Status(INTERNAL, std::move(m)); }

    bool isOk() const { return _code == OK; }
    explicit operator bool() const { return isOk(); }
    Code code() const { return _code; }
    const std::string& message() const { return _message; }

    /// "INVALID_ARGUMENT: tenant code '121003': check digit is 3, expected 2"
    std::string toString() const { return std::string(codeName(_code)) + (_message.empty() ? "" : ": " + _message); }

    static const char* codeName(Code code)
    {
        switch (code)
        {
        case OK: return "OK";
        case INVALID_ARGUMENT: return "INVALID_ARGUMENT";
        case NOT_FOUND: return "NOT_FOUND";
        case ALREADY_EXISTS: return "ALREADY_EXISTS";
        case PERMISSION_DENIED: return "PERMISSION_DENIED";
        case FAILED_PRECONDITION: return "FAILED_PRECONDITION";
        case CORRUPTION: return "CORRUPTION";
        case UNAVAILABLE: return "UNAVAILABLE";
        case INTERNAL: return "INTERNAL";
        }
        return "UNKNOWN";
    }

private:
    Code _code = OK;
    std::string _message;
};

} // namespace chukan
