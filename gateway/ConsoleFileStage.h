// ConsoleFileStage: serves the console's static files from chukan.console.dir — no traversal, known content types.
#pragma once

#include "gateway/GatewayServices.h"
#include "gateway/Stage.h"

namespace chukan
{

/// GET /console → 301 /console/; /console/ → index.html; /console/<path> → the file. Hidden
/// segments, "..", backslashes, NUL and paths whose real location leaves the directory
/// (symlinks) are 404. Files larger than 8 MiB are not served.
class ConsoleFileStage : public Stage
{
public:
    explicit ConsoleFileStage(GatewayServices& services) : _services(services) {}
    const char* name() const override { return "console_file"; }
    Outcome run(Exchange& exchange) override;

    /// The content type for a file name by its extension.
    static std::string contentType(const std::string& fileName);
    /// The relative file path under the console directory for a request path, or "" when the
    /// path is not acceptable.
    static std::string relativePath(const std::string& requestPath);

private:
    GatewayServices& _services;
};

} // namespace chukan
