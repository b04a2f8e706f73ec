// NetworkInboundStageTest: the network's Batch at /ipn-in/v1/batch is answered item by item, as if each had come alone.
#include "gateway/NetworkInboundStage.h"
#include "adapters/InquiryStore.h"
#include "adapters/RecordStore.h"
#include "tests/gateway/GatewayFixture.h"

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace chukan;

class NetworkInboundStageTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(NetworkInboundStageTest);
    CPPUNIT_TEST(testBatchAnsweredItemByItem);
    CPPUNIT_TEST(testBatchOnlyAtItsPathAndFromTheNetwork);
    CPPUNIT_TEST(testConcurrentBatchesMoreThanThePoolHelps);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override
    {
        _f.reset(new test::GatewayFixture);
        _inquiries = std::make_shared<InquiryService>(*_f->services);
        _stage = std::make_unique<NetworkInboundStage>(*_f->services, std::make_shared<ProvisionService>(*_f->services),
                                                       _inquiries);
        for (int i = 0; i < 6; ++i)
        {
            Inquiry q = test::testInquiry("Q-IN-" + std::to_string(i), "kenko");
            InquiryStore store(_f->store.db());
            CPPUNIT_ASSERT(store.add(chiba(), q, 1).isOk());
            CPPUNIT_ASSERT(store.transition(chiba(), q.serial, "queued", "sent", 2, "", "", "IQ-" + q.serial).isOk());
        }
    }
    void tearDown() override
    {
        _stage.reset();
        _inquiries.reset();
        _f.reset();
    }

    void testBatchAnsweredItemByItem()
    {
        // Six answers (more items than the stage's threads), and one for an inquiry that does not exist.
        IpnMessage batch = batchOf({"Q-IN-0", "Q-IN-1", "Q-NONE", "Q-IN-2", "Q-IN-3", "Q-IN-4", "Q-IN-5"});
        IpnMessage reply = post("network.batch", "/ipn-in/v1/batch", batch);
        CPPUNIT_ASSERT_MESSAGE(reply.errorMessage, reply.kind == IpnMessage::Kind::BatchReply);
        CPPUNIT_ASSERT_EQUAL(batch.header.messageId, reply.header.inReplyTo);
        CPPUNIT_ASSERT_EQUAL(batch.items.size(), reply.items.size());
        for (std::size_t i = 0; i < batch.items.size(); ++i)
        {
            const IpnMessage& answer = reply.items[i];
            CPPUNIT_ASSERT_EQUAL(batch.items[i].header.messageId, answer.header.inReplyTo);
            if (batch.items[i].serial == "Q-NONE")
            {
                CPPUNIT_ASSERT(answer.isError(IpnErrorCode::INVALID_MESSAGE));
                CPPUNIT_ASSERT(answer.errorMessage.find("Q-NONE") != std::string::npos);
                continue;
            }
            CPPUNIT_ASSERT_MESSAGE(answer.errorMessage, answer.kind == IpnMessage::Kind::Ack && !answer.duplicate);
            Inquiry q = InquiryStore(_f->store.db()).get(chiba(), batch.items[i].serial).value();
            CPPUNIT_ASSERT_EQUAL(std::string("completed"), q.state);
            CPPUNIT_ASSERT_EQUAL(std::string("NO_DATA"), q.errorCode);
        }
        RecordFilter f;
        f.outcome = "no_data";
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), RecordStore(_f->store.db()).count(chiba(), f));
        // The network sends the batch again (its retry): every item is a duplicate, nothing recorded twice.
        reply = post("network.batch", "/ipn-in/v1/batch", batch);
        CPPUNIT_ASSERT(reply.kind == IpnMessage::Kind::BatchReply);
        CPPUNIT_ASSERT(reply.items[0].kind == IpnMessage::Kind::Ack && reply.items[0].duplicate);
        CPPUNIT_ASSERT(reply.items[6].kind == IpnMessage::Kind::Ack && reply.items[6].duplicate);
        CPPUNIT_ASSERT_EQUAL(Poco::Int64(6), RecordStore(_f->store.db()).count(chiba(), f));
    }

    void testBatchOnlyAtItsPathAndFromTheNetwork()
    {
        IpnMessage batch = batchOf({"Q-IN-0"});
        IpnMessage reply = post("network.response", "/ipn-in/v1/responses", batch);
        CPPUNIT_ASSERT(reply.isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT_MESSAGE(reply.errorMessage,
                               reply.errorMessage.find("unexpected Batch at /ipn-in/v1/responses") != std::string::npos);
        // A single message at the batch path is refused too.
        reply = post("network.batch", "/ipn-in/v1/batch", batch.items[0]);
        CPPUNIT_ASSERT(reply.isError(IpnErrorCode::INVALID_MESSAGE));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), InquiryStore(_f->store.db()).get(chiba(), "Q-IN-0").value().state);
        // Not the network's certificate: 403, nothing done.
        Exchange ex = exchange("network.batch", "/ipn-in/v1/batch", batch);
        ex.clientOrganization = "121002";
        _stage->run(ex);
        CPPUNIT_ASSERT_EQUAL(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, ex.status);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), InquiryStore(_f->store.db()).get(chiba(), "Q-IN-0").value().state);
    }

    void testConcurrentBatchesMoreThanThePoolHelps()
    {
        // Eight batches of six at once want 24 helpers; the pool keeps BATCH_HELPERS (12): the
        // batches that find none free are answered by fewer threads, every item still answered.
        const int batches = 8, items = 6;
        static_assert(batches * (NetworkInboundStage::BATCH_THREADS - 1) > NetworkInboundStage::BATCH_HELPERS,
                      "the test must ask for more helpers than the pool has");
        std::vector<IpnMessage> sent;
        for (int b = 0; b < batches; ++b)
        {
            std::vector<std::string> serials;
            for (int i = 0; i < items; ++i)
            {
                Inquiry q = test::testInquiry("Q-C-" + std::to_string(b) + "-" + std::to_string(i), "kenko");
                InquiryStore store(_f->store.db());
                CPPUNIT_ASSERT(store.add(chiba(), q, 1).isOk());
                CPPUNIT_ASSERT(store.transition(chiba(), q.serial, "queued", "sent", 2, "", "", "IQ-" + q.serial).isOk());
                serials.push_back(q.serial);
            }
            sent.push_back(batchOf(serials));
            sent.back().header.messageId = "ipnb-concurrent-" + std::to_string(b);
        }
        std::vector<std::string> replies(batches);
        std::vector<std::thread> threads;
        for (int b = 0; b < batches; ++b)
            threads.emplace_back([&, b] {
                Exchange ex = exchange("network.batch", "/ipn-in/v1/batch", sent[static_cast<std::size_t>(b)]);
                _stage->run(ex);
                replies[static_cast<std::size_t>(b)] = ex.replyBody;
            });
        for (std::thread& t : threads)
            t.join();
        SecureXmlParser parser(_f->services->schemas->get(IpnMessage::SCHEMA_NAME).value());
        for (int b = 0; b < batches; ++b)
        {
            Result<IpnMessage> reply = IpnMessage::parse(replies[static_cast<std::size_t>(b)], parser);
            CPPUNIT_ASSERT_MESSAGE(replies[static_cast<std::size_t>(b)], reply.isOk());
            CPPUNIT_ASSERT(reply->kind == IpnMessage::Kind::BatchReply);
            CPPUNIT_ASSERT_EQUAL(std::size_t(items), reply->items.size());
            for (const IpnMessage& answer : reply->items)
                CPPUNIT_ASSERT_MESSAGE(answer.errorMessage, answer.kind == IpnMessage::Kind::Ack && !answer.duplicate);
            for (const IpnMessage& item : sent[static_cast<std::size_t>(b)].items)
                CPPUNIT_ASSERT_EQUAL(std::string("completed"),
                                     InquiryStore(_f->store.db()).get(chiba(), item.serial).value().state);
        }
    }

private:
    static TenantCode chiba() { return TenantCode::parse("121002").value(); }

    IpnMessage batchOf(const std::vector<std::string>& serials)
    {
        IpnMessage b;
        b.kind = IpnMessage::Kind::Batch;
        b.header.messageId = "ipnb-test-0001";
        b.header.sentAt = Poco::Timestamp(_f->clock->nowMicros());
        b.header.from = "IPN";
        b.header.to = "1210020000000000";
        for (const std::string& serial : serials)
        {
            IpnMessage m;
            m.kind = IpnMessage::Kind::ProvisionResponse;
            m.header.messageId = "R-IQ-" + serial;
            m.header.sentAt = b.header.sentAt;
            m.header.from = "IPN";
            m.header.to = "1210020000000000";
            m.serial = serial;
            m.permitId = "P-PR-" + serial;
            m.outcome = "no_data";
            b.items.push_back(m);
        }
        return b;
    }

    Exchange exchange(const std::string& operation, const std::string& path, const IpnMessage& body)
    {
        Exchange ex;
        ex.requestId = "r-inbound";
        ex.operation = operation;
        ex.method = "POST";
        ex.path = path;
        ex.body = body.toXml().value();
        ex.clientOrganization = "ipn";
        ex.clientCommonName = "ipn-sim";
        return ex;
    }

    IpnMessage post(const std::string& operation, const std::string& path, const IpnMessage& body)
    {
        Exchange ex = exchange(operation, path, body);
        _stage->run(ex);
        SecureXmlParser parser(_f->services->schemas->get(IpnMessage::SCHEMA_NAME).value());
        Result<IpnMessage> reply = IpnMessage::parse(ex.replyBody, parser);
        CPPUNIT_ASSERT_MESSAGE(ex.replyBody, reply.isOk());
        return reply.value();
    }

    std::unique_ptr<test::GatewayFixture> _f;
    std::shared_ptr<InquiryService> _inquiries;
    std::unique_ptr<NetworkInboundStage> _stage;
};

CPPUNIT_TEST_SUITE_REGISTRATION(NetworkInboundStageTest);
