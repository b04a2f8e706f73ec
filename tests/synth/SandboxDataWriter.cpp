// SandboxDataWriter: one pass over SyntheticPopulation, every output file open at once, batches
// rolled over by count.
#include "tests/synth/SandboxDataWriter.h"

#include "codecs/MyNumber.h"
#include "codecs/XmlWriter.h"
#include "tests/synth/SyntheticPopulation.h"

#include <Poco/Exception.h>
#include <Poco/File.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

namespace chukan
{

const char* const SandboxDataWriter::REQUESTER_TENANT = "121002";
const char* const SandboxDataWriter::PROVIDER_TENANT = "352063";
const char* const SandboxDataWriter::REQUESTER_INSTITUTION = "1210020000000000";
const char* const SandboxDataWriter::PROVIDER_INSTITUTION = "3520630000000000";
const char* const SandboxDataWriter::JIMU_CODE = "JM01000000121000";
const char* const SandboxDataWriter::ITEM_JUKI = "TM00000000000001";
const char* const SandboxDataWriter::ITEM_VACCINATION = "TM00000000000002";

namespace
{

const char* const PROCEDURE_JUKI = "JT01010000000215";
const char* const PROCEDURE_VACCINATION = "JT01010000000214";
const char* const ITEM_EXPIRED = "TM00000000000020"; // listed, but the entry expired in 2020
const char* const ITEM_UNLISTED = "TM00000000000099";
const char* const REQUESTED_AT = "20260401090000000";

/// A buffered output file that remembers its first error.
class OutFile
{
public:
    explicit OutFile(const std::string& path) : _path(path), _buffer(1 << 20)
    {
        _out.rdbuf()->pubsetbuf(_buffer.data(), static_cast<std::streamsize>(_buffer.size()));
        _out.open(path, std::ios::binary | std::ios::trunc);
    }
    void write(const std::string& s)
    {
        _out.write(s.data(), static_cast<std::streamsize>(s.size()));
    }
    Status close()
    {
        _out.close();
        if (!_out)
            return Status::unavailable(_path + ": cannot write");
        return Status::ok();
    }
    const std::string& path() const { return _path; }

private:
    std::string _path;
    std::vector<char> _buffer;
    std::ofstream _out;
};

/// Files of at most `batch` entries, numbered 00001, 00002, …: head, entries joined by sep, tail.
class BatchFiles
{
public:
    BatchFiles(std::string dir, std::string stem, std::string ext, std::uint64_t batch)
        : _dir(std::move(dir)), _stem(std::move(stem)), _ext(std::move(ext)), _batch(batch)
    {
    }

    /// Opens the next file when none is open; true when it did (the caller starts it with its
    /// head).
    bool open()
    {
        if (_file)
            return false;
        ++_files;
        _inFile = 0;
        char name[32];
        std::snprintf(name, sizeof name, "-%05llu", static_cast<unsigned long long>(_files));
        _names.push_back(_stem + name + _ext);
        _file.reset(new OutFile(_dir + "/" + _names.back()));
        return true;
    }
    std::uint64_t number() const { return _files; }
    void add(const std::string& entry)
    {
        ++_inFile;
        _file->write(entry);
    }
    bool full() const { return _file && _inFile >= _batch; }
    OutFile* current() { return _file.get(); }
    Status closeCurrent(const std::string& tail)
    {
        if (!_file)
            return Status::ok();
        _file->write(tail);
        Status st = _file->close();
        _file.reset();
        return st;
    }
    const std::vector<std::string>& names() const { return _names; }
    std::uint64_t inFile() const { return _inFile; }

private:
    std::string _dir, _stem, _ext;
    std::uint64_t _batch;
    std::uint64_t _files = 0;
    std::uint64_t _inFile = 0;
    std::unique_ptr<OutFile> _file;
    std::vector<std::string> _names;
};

std::string jsonArray(const std::string& prefix, const std::vector<std::string>& names)
{
    std::string out = "[";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i ? ", \"" : "\"") + prefix + names[i] + "\"";
    return out + "]";
}

std::string isoDate(const std::string& ymd)
{
    return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
}

Status candidateCheck(const std::string& bytes, const std::string& file, std::uint64_t record)
{
    if (MyNumber::containsCandidate(bytes))
        return Status::internal(file + ": record " + std::to_string(record) +
                                " would contain a 個人番号 candidate (generator bug)");
    return Status::ok();
}

} // namespace

SandboxDataWriter::SandboxDataWriter(LayoutCodec juki, LayoutCodec bulk)
    : _juki(std::move(juki)), _bulk(std::move(bulk))
{
}

Result<SandboxDataWriter::Summary> SandboxDataWriter::write(const Options& o) const
{
    if (o.count == 0 || o.count > SyntheticPopulation::MAX_COUNT)
        return Status::invalid("count: must be 1 to " +
                               std::to_string(SyntheticPopulation::MAX_COUNT));
    if (o.batch == 0)
        return Status::invalid("batch: must be at least 1");
    const std::string requesterDir = o.outDir + "/" + REQUESTER_TENANT;
    const std::string providerDir = o.outDir + "/" + PROVIDER_TENANT;
    try
    {
        Poco::File(requesterDir).createDirectories();
        Poco::File(providerDir).createDirectories();
    }
    catch (const Poco::Exception& e)
    {
        return Status::unavailable(o.outDir + ": " + e.displayText());
    }

    SyntheticPopulation population(o.seed, o.holdPerMille, REQUESTER_TENANT, PROVIDER_TENANT);
    Summary sum;
    BatchFiles requesterFugo(requesterDir, "fugo", ".json", o.batch);
    BatchFiles providerFugo(providerDir, "fugo", ".json", o.batch);
    BatchFiles vaccination(providerDir, "vaccination", ".xml", o.batch);
    OutFile juki(providerDir + "/juki_resident.dat");
    OutFile jukiHeld(providerDir + "/juki_resident-held.dat");
    OutFile bulk(requesterDir + "/bulk_inquiry.dat");
    OutFile expected(requesterDir + "/bulk_expected.csv");
    expected.write("record,atenaNo,item,expected\n");

    const std::string fugoTail = "\n]}\n";
    const std::string xmlTail = "</Records>\n</ReplicaRegistration>\n";
    auto addFugo = [&](BatchFiles& files, const std::string& atena,
                       const std::string& code) -> Status
    {
        std::string entry = std::string(files.open() ? "{\"records\":[\n" : ",\n") +
                            "{\"atenaNo\":\"" + atena + "\",\"juminhyoCode\":\"" + code + "\"}";
        files.add(entry);
        Status st = candidateCheck(entry, files.current()->path(), files.inFile());
        if (st && files.full())
            st = files.closeCurrent(fugoTail);
        return st;
    };

    std::map<std::string, std::string> jv, bv;
    bv["bangou_taikei"] = "01";
    bv["shoukai_irai_nichiji"] = REQUESTED_AT;
    bv["shoukaisha_busho_code"] = "KENKO-SOMU";
    bv["shoukaisha_user_id"] = "sandbox-user";
    bv["shoukaisha_kikan_code"] = REQUESTER_INSTITUTION;
    bv["jimu_code"] = JIMU_CODE;
    bv["teikyousha_kikan_code"] = PROVIDER_INSTITUTION;
    bv["shoukai_jouken_kubun"] = "1";
    bv["shoukai_nendo_kubun"] = "1";
    auto addBulk = [&](const SyntheticPerson& p, const char* item, const char* procedure,
                       const std::string& outcome) -> Status
    {
        bv["atena_no"] = p.requesterAtena;
        bv["tougou_atena_no"] = p.requesterAtena;
        bv["jimu_tetsuzuki_code"] = procedure;
        bv["tokutei_kojin_jouhou_mei_code"] = item;
        Result<std::string> rec = _bulk.encode(bv);
        ++sum.bulkRecords;
        if (!rec)
            return Status::internal(bulk.path() + ": record " + std::to_string(sum.bulkRecords) +
                                    ": " + rec.status().message());
        Status st = candidateCheck(rec.value(), bulk.path(), sum.bulkRecords);
        if (!st)
            return st;
        bulk.write(rec.value());
        expected.write(std::to_string(sum.bulkRecords) + "," + p.requesterAtena + "," + item + "," +
                       outcome + "\n");
        ++sum.expected[outcome];
        return Status::ok();
    };

    for (std::uint64_t i = 0; i < o.count; ++i)
    {
        SyntheticPerson p = population.person(i);
        ++sum.persons;
        Status st;
        // 符号 requests from each city's atena system.
        if (p.requesterHasFugo())
        {
            st = addFugo(requesterFugo, p.requesterAtena, p.juminhyoCode);
            ++sum.requesterFugo;
        }
        if (st && p.knownToProvider())
        {
            st = addFugo(providerFugo, p.providerAtena, p.juminhyoCode);
            ++sum.providerFugo;
        }
        // 住民記録 副本 at the provider.
        bool hasJuki = p.kind == SyntheticPerson::BOTH || p.kind == SyntheticPerson::BOTH_HELD ||
                       p.kind == SyntheticPerson::PROVIDER_ONLY;
        if (st && hasJuki)
        {
            jv["atena_no"] = p.providerAtena;
            jv["juminhyo_code"] = p.juminhyoCode;
            jv["name_kanji"] = p.nameKanji;
            jv["name_kana"] = p.nameKana;
            jv["sex"] = p.sex;
            jv["birth_date"] = p.birthDate;
            jv["address"] = p.address;
            jv["change_reason"] = "01";
            jv["change_date"] = p.changeDate;
            jv["status"] = "1";
            OutFile& f = p.kind == SyntheticPerson::BOTH_HELD ? jukiHeld : juki;
            std::uint64_t& n =
                p.kind == SyntheticPerson::BOTH_HELD ? sum.jukiHeldRecords : sum.jukiRecords;
            ++n;
            Result<std::string> rec = _juki.encode(jv);
            if (!rec)
                st = Status::internal(f.path() + ": record " + std::to_string(n) + ": " +
                                      rec.status().message());
            else
            {
                st = candidateCheck(rec.value(), f.path(), n);
                f.write(rec.value());
            }
        }
        // 予防接種 副本 at the provider, as ReplicaRegistration XML.
        if (st && p.vaccination)
        {
            std::string entry;
            if (vaccination.open())
            {
                char id[32];
                std::snprintf(id, sizeof id, "SYNTH-VAC-%05llu",
                              static_cast<unsigned long long>(vaccination.number()));
                entry =
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<ReplicaRegistration xmlns=\"urn:chukan:replica:1\">\n"
                    "<MessageHeader><MessageID>" +
                    std::string(id) +
                    "</MessageID><MessageType>ReplicaRegistration</MessageType><Mode>live</Mode>"
                    "<SourceSystem>yobou</SourceSystem><DestinationSystem>chukan</"
                    "DestinationSystem>"
                    "</MessageHeader>\n<Records>\n";
            }
            std::string data = "<予防接種記録><ワクチン>見本ワクチン</ワクチン><接種回数>" +
                               std::to_string(p.doses) + "</接種回数><最終接種日>" +
                               isoDate(p.changeDate) + "</最終接種日></予防接種記録>";
            entry += "<Record><RecordID>VAC-" + p.providerAtena +
                     "</RecordID><Operation>register</Operation><TougouAtenaNo>" + p.providerAtena +
                     "</TougouAtenaNo><DataItemCode>" + ITEM_VACCINATION +
                     "</DataItemCode><DataSetKey>2026</DataSetKey><Version>1</Version>"
                     "<PublishFrom>2020-04-01</PublishFrom><AutoAnswer>" +
                     (p.vaccinationHeld ? "false" : "true") + "</AutoAnswer><Data>" +
                     XmlWriter::cdata(data) + "</Data></Record>\n";
            vaccination.add(entry);
            ++sum.vaccinationRecords;
            if (p.vaccinationHeld)
                ++sum.vaccinationHeldRecords;
            st = candidateCheck(entry, vaccination.current()->path(), vaccination.inFile());
            if (st && vaccination.full())
                st = vaccination.closeCurrent(xmlTail);
        }
        // The requester's bulk inquiry: every person it knows, with the outcome to expect.
        if (st && p.knownToRequester())
        {
            std::string jukiOutcome = p.kind == SyntheticPerson::REQUESTER_NO_FUGO ? "no_fugo"
                                      : p.kind == SyntheticPerson::BOTH            ? "normal"
                                      : p.kind == SyntheticPerson::BOTH_HELD       ? "held"
                                                                                   : "no_data";
            st = addBulk(p, ITEM_JUKI, PROCEDURE_JUKI, jukiOutcome);
            if (st && p.askVaccination)
                st = addBulk(p, ITEM_VACCINATION, PROCEDURE_VACCINATION,
                             !p.vaccination      ? "no_data"
                             : p.vaccinationHeld ? "held"
                                                 : "normal");
            if (st && p.unpermitted)
                st = addBulk(p, p.unpermitted == 1 ? ITEM_EXPIRED : ITEM_UNLISTED,
                             PROCEDURE_VACCINATION, "not_permitted");
        }
        if (!st)
            return st;
    }

    Status st = requesterFugo.closeCurrent(fugoTail);
    if (st)
        st = providerFugo.closeCurrent(fugoTail);
    if (st)
        st = vaccination.closeCurrent(xmlTail);
    for (OutFile* f : {&juki, &jukiHeld, &bulk, &expected})
        if (st)
            st = f->close();
    if (!st)
        return st;

    std::string expectedJson;
    for (const auto& e : sum.expected)
        expectedJson += (expectedJson.empty() ? "" : ", ") +
                        ("\"" + e.first + "\": " + std::to_string(e.second));
    auto n = [](std::uint64_t v) { return std::to_string(v); };
    std::string rq = std::string(REQUESTER_TENANT) + "/", pv = std::string(PROVIDER_TENANT) + "/";
    std::string manifest =
        "{\n  \"generator\": \"chukan-synth\",\n  \"seed\": " + n(o.seed) +
        ",\n  \"count\": " + n(o.count) + ",\n  \"batch\": " + n(o.batch) +
        ",\n  \"holdPerMille\": " + n(o.holdPerMille) + ",\n  \"requester\": {\"tenant\": \"" +
        REQUESTER_TENANT + "\", \"name\": \"千葉市\", \"institution\": \"" + REQUESTER_INSTITUTION +
        "\",\n    \"fugoRecords\": " + n(sum.requesterFugo) +
        ", \"fugoFiles\": " + jsonArray(rq, requesterFugo.names()) +
        "},\n  \"provider\": {\"tenant\": \"" + PROVIDER_TENANT +
        "\", \"name\": \"防府市\", \"institution\": \"" + PROVIDER_INSTITUTION +
        "\",\n    \"fugoRecords\": " + n(sum.providerFugo) +
        ", \"fugoFiles\": " + jsonArray(pv, providerFugo.names()) +
        ",\n    \"juki\": {\"layout\": \"juki_resident\", \"item\": \"" + ITEM_JUKI +
        "\", \"file\": \"" + pv + "juki_resident.dat\", \"records\": " + n(sum.jukiRecords) +
        ", \"heldFile\": \"" + pv +
        "juki_resident-held.dat\", \"heldRecords\": " + n(sum.jukiHeldRecords) +
        "},\n    \"vaccination\": {\"item\": \"" + ITEM_VACCINATION +
        "\", \"records\": " + n(sum.vaccinationRecords) +
        ", \"heldRecords\": " + n(sum.vaccinationHeldRecords) +
        ", \"files\": " + jsonArray(pv, vaccination.names()) +
        "}},\n  \"bulk\": {\"layout\": \"bulk_inquiry\", \"file\": \"" + rq +
        "bulk_inquiry.dat\", \"expectedFile\": \"" + rq +
        "bulk_expected.csv\", \"records\": " + n(sum.bulkRecords) + ",\n    \"expected\": {" +
        expectedJson + "}}\n}\n";
    OutFile m(o.outDir + "/manifest.json");
    m.write(manifest);
    st = m.close();
    if (!st)
        return st;
    return sum;
}

} // namespace chukan
