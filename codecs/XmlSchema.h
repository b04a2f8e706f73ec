// XmlSchema: one XSD compiled once into a locked Xerces grammar pool, shared read-only by every parse.
#pragma once

#include "codecs/Result.h"

#include <xercesc/util/XercesDefs.hpp>

#include <memory>
#include <string>

XERCES_CPP_NAMESPACE_BEGIN
class XMLGrammarPool;
XERCES_CPP_NAMESPACE_END

namespace chukan {

/// The grammar is loaded with full schema checking, cached in its own XMLGrammarPoolImpl and
/// the pool is locked: parsers built on it (SecureXmlParser) only read it, so one XmlSchema
/// serves any number of threads. Each schema has its own pool, so a document is validated
/// against exactly the schema the caller chose and nothing else. xs:include / xs:import may
/// only name files beside the XSD (plain file names); anything else is refused.
/// Thread-safety: immutable after load(); share it through std::shared_ptr<const XmlSchema>.
class XmlSchema
{
public:
    /// Loads and compiles the XSD. NOT_FOUND when the file is missing, INVALID_ARGUMENT with
    /// "path:line:col: message" when it is not a valid schema.
    static Result<std::shared_ptr<const XmlSchema>> load(const std::string& xsdPath);

    ~XmlSchema();
    XmlSchema(const XmlSchema&) = delete;
    XmlSchema& operator=(const XmlSchema&) = delete;

    const std::string& path() const { return _path; }
    const std::string& targetNamespace() const { return _targetNamespace; }
    /// The locked pool (for SecureXmlParser).
    xercesc::XMLGrammarPool* pool() const { return _pool.get(); }

private:
    XmlSchema(std::string path, std::string targetNamespace, std::unique_ptr<xercesc::XMLGrammarPool> pool);

    std::string _path;
    std::string _targetNamespace;
    std::unique_ptr<xercesc::XMLGrammarPool> _pool;
};

} // namespace chukan
