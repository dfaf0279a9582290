#include "check.h"

int main()
{
	int passed = 0;
	int failed = 0;
	for(auto& testCase : check::registry()) {
		check::failuresInCase() = 0;
		testCase.body();
		if(check::failuresInCase() == 0) {
			++passed;
		} else {
			++failed;
			std::cout << "FAILED: " << testCase.name << std::endl;
		}
	}
	std::cout << "firmware: " << passed << " passed, " << failed << " failed" << std::endl;
	return failed == 0 ? 0 : 1;
}
