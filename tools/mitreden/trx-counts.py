# trx [failures-file] -> "passed failed skipped" of a .trx file; appends "name: message" of each failed test.
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
c = {}
results = []
with open(sys.argv[2], 'a') as failures:
    for el in root.iter():
        tag = el.tag.rsplit('}', 1)[-1]
        if tag == 'Counters': c = el.attrib
        elif tag == 'UnitTestResult':
            outcome = el.get('outcome', '')
            results.append(outcome)
            if outcome in ('Failed', 'Error', 'Timeout', 'Aborted'):
                msg = ''
                for m in el.iter():
                    if m.tag.rsplit('}', 1)[-1] == 'Message' and m.text:
                        msg = ' '.join(m.text.split())[:300]; break
                failures.write(f"{el.get('testName', '?')}: {msg}\n")
g = lambda k: int(c.get(k, 0) or 0)
passed = g('passed')
failed = g('failed') + g('error') + g('timeout') + g('aborted')
skipped = max(g('notExecuted'), g('total') - g('executed'), sum(1 for o in results if o == 'NotExecuted'))
print(passed, failed, skipped)
