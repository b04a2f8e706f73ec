// ConsoleFileStage: path checks on decoded segments, realpath(3) containment, whole-file reads.
#include "gateway/ConsoleFileStage.h"

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <climits>
#include <cstdlib>
#include <sys/stat.h>

namespace chukan
{

namespace
{

const off_t kMaxFile = 8 * 1024 * 1024;

std::string realPath(const std::string& path)
{
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

} // namespace

std::string ConsoleFileStage::contentType(const std::string& fileName)
{
    std::size_t dot = fileName.rfind('.');
    std::string ext = dot == std::string::npos ? "" : Poco::toLower(fileName.substr(dot + 1));
    static const std::pair<const char*, const char*> types[] = {
        {"html", "text/html; charset=UTF-8"},
        {"js", "text/javascript; charset=UTF-8"},
        {"mjs", "text/javascript; charset=UTF-8"},
        {"css", "text/css; charset=UTF-8"},
        {"json", "application/json"},
        {"map", "application/json"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"ico", "image/x-icon"},
        {"woff2", "font/woff2"},
        {"woff", "font/woff"},
        {"ttf", "font/ttf"},
        {"txt", "text/plain; charset=UTF-8"},
    };
    for (const auto& t : types)
        if (ext == t.first)
            return t.second;
    return "application/octet-stream";
}

std::string ConsoleFileStage::relativePath(const std::string& requestPath)
{
    const std::string prefix = "/console/";
    if (requestPath.compare(0, prefix.size(), prefix) != 0)
        return "";
    std::string rest = requestPath.substr(prefix.size());
    if (rest.empty())
        return "index.html";
    if (rest.find('\\') != std::string::npos || rest.find('\0') != std::string::npos)
        return "";
    std::string out;
    Poco::StringTokenizer segments(rest, "/");
    for (std::size_t i = 0; i < segments.count(); ++i)
    {
        const std::string& s = segments[i];
        if (s.empty())
        {
            if (i + 1 == segments.count())
                return out.empty() ? "" : out + "/index.html"; // a directory: its index
            return "";
        }
        if (s[0] == '.')
            return ""; // "..", ".", hidden files
        out += (out.empty() ? "" : "/") + s;
    }
    return out;
}

Stage::Outcome ConsoleFileStage::run(Exchange& ex)
{
    if (ex.path == "/console")
    {
        ex.replyHeaders.emplace_back("Location", "/console/");
        ex.reply(Poco::Net::HTTPResponse::HTTP_MOVED_PERMANENTLY, "text/plain; charset=UTF-8",
                 "/console/\n");
        return STOP;
    }
    if (ex.method != "GET" && ex.method != "HEAD") // HEAD: the listener sends no body
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                "console files accept GET and HEAD only");
        return STOP;
    }
    std::string rel = relativePath(ex.path);
    std::string root = realPath(_services.settings.console.dir);
    std::string file = rel.empty() || root.empty() ? "" : realPath(root + "/" + rel);
    struct stat st;
    if (file.empty() || file.compare(0, root.size() + 1, root + "/") != 0 ||
        ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxFile)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", "no such console file");
        return STOP;
    }
    std::string body;
    try
    {
        Poco::FileInputStream in(file);
        Poco::StreamCopier::copyToString(in, body);
    }
    catch (const Poco::Exception&)
    {
        ex.fail(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "NOT_FOUND", "no such console file");
        return STOP;
    }
    ex.replyHeaders.emplace_back("Cache-Control", "no-cache");
    ex.reply(Poco::Net::HTTPResponse::HTTP_OK, contentType(file), std::move(body));
    return STOP;
}

} // namespace chukan
