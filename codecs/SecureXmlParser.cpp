// SecureXmlParser: prolog screen, then a pooled, locked-down SAX2 reader whose handler builds XmlElement trees.
#include "codecs/SecureXmlParser.h"

#include "codecs/XmlRuntime.h"
#include "codecs/XmlString.h"

#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPool.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>
#include <xercesc/util/XMLUni.hpp>

#include <atomic>
#include <mutex>

namespace chukan {

namespace {

using namespace xercesc;

/// Thrown by the handler to stop a parse; never leaves parse().
struct ParseAborted
{
};

class TreeBuilder : public DefaultHandler, public XMLEntityResolver
{
public:
    TreeBuilder(SecureXmlParser::Outcome& out, const SecureXmlParser::Limits& limits) : _out(out), _limits(limits) {}

    void setDocumentLocator(const Locator* const locator) override { _locator = locator; }

    void startElement(const XMLCh* const uri, const XMLCh* const localname, const XMLCh* const,
                      const Attributes& attrs) override
    {
        if (_stack.size() + 1 > _limits.maxDepth)
            abort("element nesting deeper than the limit of " + std::to_string(_limits.maxDepth));
        XmlElement e;
        e.ns = XmlString::toUtf8(uri);
        e.name = XmlString::toUtf8(localname);
        if (_locator)
        {
            e.line = static_cast<std::size_t>(_locator->getLineNumber());
            e.column = static_cast<std::size_t>(_locator->getColumnNumber());
        }
        for (XMLSize_t i = 0; i < attrs.getLength(); ++i)
            e.attributes.push_back(XmlElement::Attribute{XmlString::toUtf8(attrs.getURI(i)),
                                                         XmlString::toUtf8(attrs.getLocalName(i)),
                                                         XmlString::toUtf8(attrs.getValue(i))});
        _stack.push_back(std::move(e));
    }

    void endElement(const XMLCh* const, const XMLCh* const, const XMLCh* const) override
    {
        XmlElement e = std::move(_stack.back());
        _stack.pop_back();
        if (_stack.empty())
            _out.root = std::move(e);
        else
            _stack.back().children.push_back(std::move(e));
    }

    void characters(const XMLCh* const chars, const XMLSize_t length) override
    {
        if (!_stack.empty())
            XmlString::appendUtf8(_stack.back().text, chars, length);
    }

    void ignorableWhitespace(const XMLCh* const chars, const XMLSize_t length) override { characters(chars, length); }

    // Second guard behind the prolog screen: stop at "<!DOCTYPE", before any subset is read.
    void startDTD(const XMLCh* const, const XMLCh* const, const XMLCh* const) override
    {
        abort("DOCTYPE declarations are not allowed (DTDs and entities are refused)");
    }

    void startEntity(const XMLCh* const name) override
    {
        abort("entity '" + XmlString::toUtf8(name) + "' refused (no entities are allowed)");
    }

    InputSource* resolveEntity(XMLResourceIdentifier* id) override
    {
        std::string systemId = XmlString::toUtf8(id->getSystemId());
        _out.refusedResources.push_back(systemId);
        abort("external resource '" + systemId + "' refused (no external entities, DTDs or schemas are loaded)");
        return nullptr; // not reached
    }

    void warning(const SAXParseException&) override {}
    void error(const SAXParseException& e) override { add(e); }
    void fatalError(const SAXParseException& e) override { add(e); }

private:
    void add(const SAXParseException& e)
    {
        _out.issues.push_back(XmlIssue{static_cast<std::size_t>(e.getLineNumber()),
                                       static_cast<std::size_t>(e.getColumnNumber()),
                                       XmlString::toUtf8(e.getMessage())});
        if (_out.issues.size() >= _limits.maxIssues)
        {
            _out.issues.push_back(XmlIssue{0, 0, "stopped after " + std::to_string(_limits.maxIssues) + " issues"});
            throw ParseAborted();
        }
    }

    [[noreturn]] void abort(const std::string& message)
    {
        std::size_t line = _locator ? static_cast<std::size_t>(_locator->getLineNumber()) : 0;
        std::size_t column = _locator ? static_cast<std::size_t>(_locator->getColumnNumber()) : 0;
        _out.issues.push_back(XmlIssue{line, column, message});
        throw ParseAborted();
    }

    SecureXmlParser::Outcome& _out;
    const SecureXmlParser::Limits& _limits;
    const Locator* _locator = nullptr;
    std::vector<XmlElement> _stack;
};

bool startsWith(const std::string& s, std::size_t at, const char* prefix)
{
    return s.compare(at, std::char_traits<char>::length(prefix), prefix) == 0;
}

std::string lower(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

} // namespace

/// Configured readers over one schema's grammar pool (or none: well-formedness only).
class SecureXmlParser::ReaderPool
{
public:
    /// A reader with the security manager it points to (which must live as long).
    struct Reader
    {
        std::unique_ptr<SecurityManager> security;
        std::unique_ptr<SAX2XMLReaderImpl> impl;
        std::size_t parses = 0;
    };

    explicit ReaderPool(std::shared_ptr<const XmlSchema> schema) : _schema(std::move(schema)) {}

    /// An idle reader, or a newly built one. May throw what Xerces throws while building.
    std::unique_ptr<Reader> acquire()
    {
        {
            std::lock_guard<std::mutex> lock(_mutex);
            if (!_idle.empty())
            {
                std::unique_ptr<Reader> r = std::move(_idle.back());
                _idle.pop_back();
                return r;
            }
        }
        std::unique_ptr<Reader> r = build();
        _built.fetch_add(1);
        return r;
    }

    /// Back to the pool after a parse that returned normally (unless it has served its
    /// MAX_PARSES_PER_READER); the handlers are detached first.
    void release(std::unique_ptr<Reader> r)
    {
        if (++r->parses >= MAX_PARSES_PER_READER)
            return;
        r->impl->setContentHandler(nullptr);
        r->impl->setErrorHandler(nullptr);
        r->impl->setLexicalHandler(nullptr);
        r->impl->setXMLEntityResolver(nullptr);
        std::lock_guard<std::mutex> lock(_mutex);
        if (_idle.size() < MAX_IDLE_READERS)
            _idle.push_back(std::move(r));
    }

    std::size_t built() const { return _built.load(); }

private:
    /// Every setting of the class comment; none is changed afterwards.
    std::unique_ptr<Reader> build() const
    {
        std::unique_ptr<Reader> r(new Reader);
        r->impl.reset(new SAX2XMLReaderImpl(XMLPlatformUtils::fgMemoryManager, _schema ? _schema->pool() : nullptr));
        SAX2XMLReaderImpl& reader = *r->impl;
        bool validate = _schema != nullptr;
        reader.setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
        reader.setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
        reader.setFeature(XMLUni::fgSAX2CoreValidation, validate);
        reader.setFeature(XMLUni::fgXercesDynamic, false);
        reader.setFeature(XMLUni::fgXercesSchema, validate);
        reader.setFeature(XMLUni::fgXercesSchemaFullChecking, false); // done once at load
        reader.setFeature(XMLUni::fgXercesIdentityConstraintChecking, true);
        reader.setFeature(XMLUni::fgXercesLoadSchema, false);            // ignore xsi:schemaLocation
        reader.setFeature(XMLUni::fgXercesUseCachedGrammarInParse, validate);
        reader.setFeature(XMLUni::fgXercesCacheGrammarFromParse, false); // pool is locked anyway
        reader.setFeature(XMLUni::fgXercesHandleMultipleImports, true);
        reader.setFeature(XMLUni::fgXercesLoadExternalDTD, false);
        reader.setFeature(XMLUni::fgXercesSkipDTDValidation, true);
        reader.setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
        reader.setFeature(XMLUni::fgXercesValidationErrorAsFatal, false);
        reader.setFeature(XMLUni::fgXercesContinueAfterFatalError, false);
        r->security.reset(new SecurityManager);
        r->security->setEntityExpansionLimit(1);
        reader.setProperty(XMLUni::fgXercesSecurityManager, r->security.get());
        reader.setEntityResolver(nullptr);
        return r;
    }

    // Declared first, destroyed last: the readers use its grammar pool.
    std::shared_ptr<const XmlSchema> _schema;
    std::mutex _mutex;
    std::vector<std::unique_ptr<Reader>> _idle;
    std::atomic<std::size_t> _built{0};
};

SecureXmlParser::SecureXmlParser(std::shared_ptr<const XmlSchema> schema, Limits limits)
    : _schema(std::move(schema)), _limits(limits), _readers(std::make_shared<ReaderPool>(_schema))
{
}

SecureXmlParser::~SecureXmlParser() = default;

std::size_t SecureXmlParser::readersBuilt() const
{
    return _readers->built();
}

std::string SecureXmlParser::Outcome::summary(std::size_t max) const
{
    std::string s;
    for (std::size_t i = 0; i < issues.size() && i < max; ++i)
        s += (i ? "; " : "") + issues[i].toString();
    if (issues.size() > max)
        s += "; (" + std::to_string(issues.size() - max) + " more)";
    return s;
}

std::optional<XmlIssue> SecureXmlParser::screenProlog(const std::string& b)
{
    if (b.size() >= 2 && ((b[0] == '\xFE' && b[1] == '\xFF') || (b[0] == '\xFF' && b[1] == '\xFE')))
        return XmlIssue{1, 1, "only UTF-8 documents are accepted (found a UTF-16/32 byte order mark)"};
    if (b.find('\0') != std::string::npos)
        return XmlIssue{1, 1, "only UTF-8 documents are accepted (found a NUL byte)"};
    std::size_t i = startsWith(b, 0, "\xEF\xBB\xBF") ? 3 : 0;
    std::size_t line = 1, lineStart = i;
    auto skipTo = [&](std::size_t end) {
        for (; i < end; ++i)
            if (b[i] == '\n')
                ++line, lineStart = i + 1;
    };
    if (startsWith(b, i, "<?xml") && i + 5 < b.size() && (b[i + 5] == ' ' || b[i + 5] == '\t' || b[i + 5] == '\r' ||
                                                          b[i + 5] == '\n' || b[i + 5] == '?'))
    {
        std::size_t end = b.find("?>", i);
        if (end == std::string::npos)
            return std::nullopt; // the parser reports it
        std::string decl = b.substr(i, end - i);
        std::size_t enc = decl.find("encoding");
        if (enc != std::string::npos)
        {
            std::size_t q = decl.find_first_of("\"'", enc);
            std::size_t q2 = q == std::string::npos ? q : decl.find(decl[q], q + 1);
            if (q2 != std::string::npos)
            {
                std::string name = lower(decl.substr(q + 1, q2 - q - 1));
                if (name != "utf-8" && name != "utf8")
                    return XmlIssue{1, 1, "encoding '" + decl.substr(q + 1, q2 - q - 1) +
                                              "' is not accepted: documents must be UTF-8"};
            }
        }
        skipTo(end + 2);
    }
    for (;;)
    {
        while (i < b.size() && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
            skipTo(i + 1);
        if (startsWith(b, i, "<!--"))
        {
            std::size_t end = b.find("-->", i + 4);
            if (end == std::string::npos)
                return std::nullopt;
            skipTo(end + 3);
        }
        else if (startsWith(b, i, "<?"))
        {
            std::size_t end = b.find("?>", i + 2);
            if (end == std::string::npos)
                return std::nullopt;
            skipTo(end + 2);
        }
        else if (startsWith(b, i, "<!DOCTYPE") || startsWith(b, i, "<!doctype"))
            return XmlIssue{line, i - lineStart + 1,
                            "DOCTYPE declarations are not allowed (DTDs and entities are refused)"};
        else
            return std::nullopt;
    }
}

SecureXmlParser::Outcome SecureXmlParser::parse(const std::string& bytes) const
{
    Outcome out;
    if (bytes.size() > _limits.maxBytes)
    {
        out.issues.push_back(XmlIssue{0, 0, "document is " + std::to_string(bytes.size()) +
                                                " bytes, larger than the limit of " +
                                                std::to_string(_limits.maxBytes) + " bytes"});
        return out;
    }
    Status init = XmlRuntime::ensureInitialized();
    if (!init)
    {
        out.issues.push_back(XmlIssue{0, 0, init.message()});
        return out;
    }
    if (_screenProlog)
        if (std::optional<XmlIssue> refused = screenProlog(bytes))
        {
            out.issues.push_back(*refused);
            return out;
        }

    TreeBuilder handler(out, _limits);
    std::unique_ptr<ReaderPool::Reader> reader;
    try
    {
        reader = _readers->acquire();
        SAX2XMLReaderImpl& impl = *reader->impl;
        impl.setContentHandler(&handler);
        impl.setErrorHandler(&handler);
        impl.setLexicalHandler(&handler);
        impl.setXMLEntityResolver(&handler);

        static const XMLCh documentId[] = {u'd', u'o', u'c', u'u', u'm', u'e', u'n', u't', 0};
        MemBufInputSource source(reinterpret_cast<const XMLByte*>(bytes.data()), bytes.size(), documentId, false);
        static const XMLCh utf8[] = {u'U', u'T', u'F', u'-', u'8', 0};
        source.setEncoding(utf8);
        impl.parse(source);
        // Returned normally (issues or not): the reader is reusable.
        _readers->release(std::move(reader));
    }
    catch (const ParseAborted&)
    {
    }
    catch (const OutOfMemoryException&)
    {
        out.issues.push_back(XmlIssue{0, 0, "out of memory while parsing"});
    }
    catch (const XMLException& e)
    {
        out.issues.push_back(XmlIssue{0, 0, XmlString::toUtf8(e.getMessage())});
    }
    catch (const SAXParseException& e)
    {
        out.issues.push_back(XmlIssue{static_cast<std::size_t>(e.getLineNumber()),
                                      static_cast<std::size_t>(e.getColumnNumber()), XmlString::toUtf8(e.getMessage())});
    }
    catch (const SAXException& e)
    {
        out.issues.push_back(XmlIssue{0, 0, XmlString::toUtf8(e.getMessage())});
    }
    catch (const std::exception& e)
    {
        out.issues.push_back(XmlIssue{0, 0, std::string("parser failure: ") + e.what()});
    }
    catch (...)
    {
        out.issues.push_back(XmlIssue{0, 0, "parser failure (unknown exception)"});
    }
    if (out.issues.empty() && !out.root)
        out.issues.push_back(XmlIssue{0, 0, "document has no root element"});
    if (!out.issues.empty())
        out.root.reset();
    else if (_schema && out.root->ns != _schema->targetNamespace())
        out.issues.push_back(XmlIssue{out.root->line, out.root->column,
                                      "root element {" + out.root->ns + "}" + out.root->name +
                                          " is not in the schema's namespace " + _schema->targetNamespace()});
    return out;
}

} // namespace chukan
