// RolePermissionsTest: the fixed role × permission matrix is exactly the documented one, names
// round-trip.
#include "policy/RolePermissions.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using namespace chukan;

class RolePermissionsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RolePermissionsTest);
    CPPUNIT_TEST(testMatrixIsTheDocumentedOne);
    CPPUNIT_TEST(testSeparationOfDuties);
    CPPUNIT_TEST(testNamesRoundTrip);
    CPPUNIT_TEST(testUnknownRoleRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testMatrixIsTheDocumentedOne()
    {
        // docs/console-api.md, "Roles and permissions" (rows: permission; columns: operator,
        // reviewer, auditor, administrator)
        const std::map<std::string, std::string> documented = {
            {"session", "xxxx"},           {"hold.list", "xx.."},     {"hold.view", ".x.."},
            {"hold.decide", ".x.."},       {"record.search", "xxx."}, {"record.export", "x.x."},
            {"record.disclosure", "x.x."}, {"audit.read", "..x."},    {"staff.admin", "...x"},
            {"system.view", "..xx"},
        };
        CPPUNIT_ASSERT_EQUAL(documented.size(), RolePermissions::permissions().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), RolePermissions::roles().size());
        for (Permission p : RolePermissions::permissions())
        {
            std::string name = RolePermissions::permissionName(p);
            CPPUNIT_ASSERT_MESSAGE(name, documented.count(name) == 1);
            for (std::size_t r = 0; r < 4; ++r)
            {
                StaffRole role = RolePermissions::roles()[r];
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name + " " + RolePermissions::roleName(role),
                                             documented.at(name)[r] == 'x',
                                             RolePermissions::allows(role, p));
            }
        }
    }

    void testSeparationOfDuties()
    {
        // whoever administers accounts neither reviews nor audits; reviewers do not audit.
        // システム管理 (batch jobs, business statistics: counts, no person, read-only) is the
        // one permission auditors and administrators share.
        for (Permission p : RolePermissions::permissions())
        {
            if (p == Permission::SESSION || p == Permission::SYSTEM_VIEW)
                continue;
            CPPUNIT_ASSERT(!(RolePermissions::allows(StaffRole::ADMINISTRATOR, p) &&
                             RolePermissions::allows(StaffRole::REVIEWER, p)));
            CPPUNIT_ASSERT(!(RolePermissions::allows(StaffRole::ADMINISTRATOR, p) &&
                             RolePermissions::allows(StaffRole::AUDITOR, p)));
        }
        CPPUNIT_ASSERT(!RolePermissions::allows(StaffRole::REVIEWER, Permission::AUDIT_READ));
        CPPUNIT_ASSERT(!RolePermissions::allows(StaffRole::OPERATOR, Permission::HOLD_VIEW));
        CPPUNIT_ASSERT(!RolePermissions::allows(StaffRole::ADMINISTRATOR, Permission::AUDIT_READ));
        CPPUNIT_ASSERT(!RolePermissions::allows(StaffRole::AUDITOR, Permission::STAFF_ADMIN));
    }

    void testNamesRoundTrip()
    {
        std::set<std::string> names;
        for (StaffRole r : RolePermissions::roles())
        {
            Result<StaffRole> back = RolePermissions::parseRole(RolePermissions::roleName(r));
            CPPUNIT_ASSERT(back.isOk());
            CPPUNIT_ASSERT(back.value() == r);
            names.insert(RolePermissions::roleName(r));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), names.size());
        std::vector<std::string> reviewer = RolePermissions::permissionNames(StaffRole::REVIEWER);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), reviewer.size());
        CPPUNIT_ASSERT_EQUAL(std::string("session"), reviewer[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("record.search"), reviewer[4]);
    }

    void testUnknownRoleRefused()
    {
        for (const char* bad : {"", "root", "Reviewer", "reviewer ", "admin"})
        {
            Result<StaffRole> r = RolePermissions::parseRole(bad);
            CPPUNIT_ASSERT_MESSAGE(bad, !r.isOk());
            CPPUNIT_ASSERT_EQUAL(Status::INVALID_ARGUMENT, r.status().code());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RolePermissionsTest);
