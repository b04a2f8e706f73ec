// XmlSchema: loadGrammar into a private pool with a resolver confined to the schema's directory, then lock.
#include "codecs/XmlSchema.h"

#include "codecs/XmlIssue.h"
#include "codecs/XmlRuntime.h"
#include "codecs/XmlString.h"

#include <xercesc/framework/LocalFileInputSource.hpp>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/ErrorHandler.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>

#include <fstream>
#include <sstream>
#include <vector>

namespace chukan {

namespace {

using namespace xercesc;

class SchemaLoadHandler : public ErrorHandler, public XMLEntityResolver
{
public:
    explicit SchemaLoadHandler(std::string dir) : _dir(std::move(dir)) {}

    void warning(const SAXParseException&) override {}
    void error(const SAXParseException& e) override { add(e); }
    void fatalError(const SAXParseException& e) override { add(e); }
    void resetErrors() override {}

    InputSource* resolveEntity(XMLResourceIdentifier* id) override
    {
        std::string systemId = XmlString::toUtf8(id->getSystemId());
        bool plain = !systemId.empty() && systemId.find('/') == std::string::npos &&
                     systemId.find('\\') == std::string::npos && systemId.find(':') == std::string::npos &&
                     systemId != "." && systemId != "..";
        if (!plain)
        {
            issues.push_back(XmlIssue{0, 0, "schema reference '" + systemId + "' refused (only files beside the XSD)"});
            static const XMLByte nothing[1] = {0};
            return new MemBufInputSource(nothing, 0, "refused", false);
        }
        std::u16string path = XmlString::fromUtf8(_dir + "/" + systemId);
        return new LocalFileInputSource(reinterpret_cast<const XMLCh*>(path.c_str()));
    }

    std::vector<XmlIssue> issues;

private:
    void add(const SAXParseException& e)
    {
        issues.push_back(XmlIssue{static_cast<std::size_t>(e.getLineNumber()),
                                  static_cast<std::size_t>(e.getColumnNumber()), XmlString::toUtf8(e.getMessage())});
    }

    std::string _dir;
};

} // namespace

XmlSchema::XmlSchema(std::string path, std::string targetNamespace, std::unique_ptr<xercesc::XMLGrammarPool> pool)
    : _path(std::move(path)), _targetNamespace(std::move(targetNamespace)), _pool(std::move(pool))
{
}

XmlSchema::~XmlSchema() = default;

Result<std::shared_ptr<const XmlSchema>> XmlSchema::load(const std::string& xsdPath)
{
    Status init = XmlRuntime::ensureInitialized();
    if (!init)
        return init;
    std::ifstream in(xsdPath, std::ios::binary);
    if (!in)
        return Status::notFound("schema file '" + xsdPath + "' cannot be read");
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    std::string dir = xsdPath.find('/') == std::string::npos ? "." : xsdPath.substr(0, xsdPath.rfind('/'));

    std::unique_ptr<XMLGrammarPool> pool(new XMLGrammarPoolImpl(XMLPlatformUtils::fgMemoryManager));
    SchemaLoadHandler handler(dir);
    Grammar* grammar = nullptr;
    try
    {
        std::unique_ptr<SAX2XMLReaderImpl> reader(new SAX2XMLReaderImpl(XMLPlatformUtils::fgMemoryManager, pool.get()));
        reader->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
        reader->setFeature(XMLUni::fgXercesSchema, true);
        reader->setFeature(XMLUni::fgXercesSchemaFullChecking, true);
        reader->setFeature(XMLUni::fgXercesHandleMultipleImports, true);
        reader->setFeature(XMLUni::fgXercesCacheGrammarFromParse, true);
        reader->setFeature(XMLUni::fgXercesLoadExternalDTD, false);
        reader->setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
        reader->setErrorHandler(&handler);
        reader->setXMLEntityResolver(&handler);
        std::u16string systemId = XmlString::fromUtf8(xsdPath);
        MemBufInputSource source(reinterpret_cast<const XMLByte*>(text.data()), text.size(),
                                 reinterpret_cast<const XMLCh*>(systemId.c_str()), false);
        grammar = reader->loadGrammar(source, Grammar::SchemaGrammarType, true);
    }
    catch (const OutOfMemoryException&)
    {
        return Status::internal("schema '" + xsdPath + "': out of memory");
    }
    catch (const XMLException& e)
    {
        handler.issues.push_back(XmlIssue{0, 0, XmlString::toUtf8(e.getMessage())});
    }
    catch (const SAXParseException& e)
    {
        handler.issues.push_back(XmlIssue{static_cast<std::size_t>(e.getLineNumber()),
                                          static_cast<std::size_t>(e.getColumnNumber()),
                                          XmlString::toUtf8(e.getMessage())});
    }
    catch (const SAXException& e)
    {
        handler.issues.push_back(XmlIssue{0, 0, XmlString::toUtf8(e.getMessage())});
    }
    catch (...)
    {
        handler.issues.push_back(XmlIssue{0, 0, "schema loader failure (unknown exception)"});
    }
    if (!handler.issues.empty() || !grammar)
    {
        std::string message = "schema '" + xsdPath + "' is not valid";
        for (std::size_t i = 0; i < handler.issues.size() && i < 5; ++i)
            message += (i ? "; " : ": ") + handler.issues[i].toString();
        return Status::invalid(message);
    }
    std::string targetNamespace = XmlString::toUtf8(grammar->getTargetNamespace());
    pool->lockPool();
    return std::shared_ptr<const XmlSchema>(new XmlSchema(xsdPath, targetNamespace, std::move(pool)));
}

} // namespace chukan
