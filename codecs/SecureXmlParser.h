// SecureXmlParser: parses untrusted XML with Xerces SAX2 (no DTDs, no entities, no network, size and depth limits), optionally validating.
#pragma once

#include "codecs/XmlElement.h"
#include "codecs/XmlIssue.h"
#include "codecs/XmlSchema.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chukan {

/// What it refuses, and where:
/// - documents larger than Limits::maxBytes: before any parsing;
/// - anything but UTF-8 (a UTF-16/32 BOM or NUL bytes, or an encoding declaration other than
///   UTF-8): before parsing; the input is then read as UTF-8 whatever it declares;
/// - any DOCTYPE (so no internal or external DTD subset, no entity declarations: this is what
///   stops billion-laughs and XXE): found by a prolog screen before parsing and, as a second
///   guard, by the parser's startDTD callback, which aborts the parse before the subset is read;
/// - every external resource: an entity resolver refuses all of them (and records the system
///   ID), default entity resolution is disabled, external DTDs are not loaded, schemas named in
///   xsi:schemaLocation are not loaded (only the XmlSchema's locked grammar is used), and the
///   process has no Xerces network accessor at all (XmlRuntime);
/// - XInclude: SAX2 never processes it; an xi:include is just an element the schema rejects;
/// - element nesting deeper than Limits::maxDepth: while parsing, at the offending start tag.
/// Errors are values: Outcome::issues with line and column; nothing throws.
/// Readers: a Xerces SAX2 reader (and its scanner and validator) is costly to build, so each
/// parser keeps a small pool of configured readers over the schema's locked grammar pool
/// (copies of a parser share it). A reader goes back to the pool only after a parse that
/// returned normally (well-formed or not); one that a guard aborted, or that threw, is
/// destroyed, and so is one that has served MAX_PARSES_PER_READER parses (a reader keeps the
/// namespace URIs it has seen: without a bound, documents with ever new namespaces would grow
/// it without end). Every setting above is made when a reader is built and never changed after.
/// Thread-safety: parse() is const; a reader is used by one parse at a time (taken from the
/// pool under its mutex), so one parser may be used from many threads.
class SecureXmlParser
{
public:
    struct Limits
    {
        std::size_t maxBytes = 32 * 1024 * 1024;
        std::size_t maxDepth = 64;
        std::size_t maxIssues = 50; ///< parsing stops after this many issues
    };

    struct Outcome
    {
        std::optional<XmlElement> root;          ///< set when the document parsed
        std::vector<XmlIssue> issues;            ///< empty when well-formed (and valid)
        std::vector<std::string> refusedResources; ///< system IDs the parser asked for (all refused)

        bool ok() const { return issues.empty() && root.has_value(); }
        /// Issues joined as "line:col: message; ...", at most max of them.
        std::string summary(std::size_t max = 5) const;
    };

    /// schema null: well-formedness only (still with every guard above).
    explicit SecureXmlParser(std::shared_ptr<const XmlSchema> schema) : SecureXmlParser(std::move(schema), Limits()) {}
    SecureXmlParser(std::shared_ptr<const XmlSchema> schema, Limits limits);
    ~SecureXmlParser();
    SecureXmlParser(const SecureXmlParser&) = default;
    SecureXmlParser& operator=(const SecureXmlParser&) = default;

    Outcome parse(const std::string& bytes) const;

    const Limits& limits() const { return _limits; }
    const std::shared_ptr<const XmlSchema>& schema() const { return _schema; }

    /// Test hook: skip the prolog screen so the parser-level DOCTYPE guard is exercised alone.
    void setScreenProlog(bool screen) { _screenProlog = screen; }

    /// The prolog screen on its own: an issue for a non-UTF-8 document or a DOCTYPE, else none.
    static std::optional<XmlIssue> screenProlog(const std::string& bytes);

    /// Xerces readers built so far by this parser and its copies (each reused afterwards).
    std::size_t readersBuilt() const;
    /// The pool keeps at most this many idle readers; more concurrent parses build extra ones.
    static constexpr std::size_t MAX_IDLE_READERS = 16;
    /// A reader is destroyed after this many parses (and a new one built when needed).
    static constexpr std::size_t MAX_PARSES_PER_READER = 1000;

private:
    class ReaderPool;

    std::shared_ptr<const XmlSchema> _schema;
    Limits _limits;
    bool _screenProlog = true;
    std::shared_ptr<ReaderPool> _readers;
};

} // namespace chukan
