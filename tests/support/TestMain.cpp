// TestMain: runs every registered CppUnit suite, or only those named on the command line.
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>

int main(int argc, char** argv)
{
    CppUnit::TestResult controller;
    CppUnit::TestResultCollector result;
    controller.addListener(&result);
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&progress);

    CppUnit::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    try
    {
        if (argc > 1)
            for (int i = 1; i < argc; ++i)
                runner.run(controller, argv[i]);
        else
            runner.run(controller);
    }
    catch (const std::invalid_argument& e)
    {
        std::cerr << "no such test: " << e.what() << std::endl;
        return 2;
    }
    CppUnit::CompilerOutputter outputter(&result, std::cerr);
    outputter.write();
    return result.wasSuccessful() ? 0 : 1;
}
