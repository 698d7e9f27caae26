def server = System.getProperties().remove('forge.it.teacher.server')
def auth = System.getProperties().remove('forge.it.teacher.auth')
server?.stop(0)

String log = new File(basedir, 'build.log').text
// resolved at run time through Maven's resolver, not a plugin dependency
assert log =~ /Teacher SDK com\.openai:openai-java:4\.101\.0: \d+ jars, \d+\.\d MB/
assert !log.contains('sk-forge-it-teacher-secret') : 'the API key leaked into the build log'
assert auth && auth.every { it == 'Bearer sk-forge-it-teacher-secret-0123456789' } : "auth headers: ${auth}"

def lines = new File(basedir, 'target/forge/data/train.jsonl').readLines()
assert lines.size() == 60
def teacher = lines.findAll { it.contains('"source":"teacher"') }
assert teacher.any { it.contains('What time is it in Europe/Paris right now?') } : 'a teacher seed is used'
assert teacher.any { it.contains('What is the boiling point of water at sea level?') }
assert teacher.any { it.contains('In other words: ') } : 'offline samples are paraphrased with the rest'
assert !lines.any { it.contains('Week number for 2024-12-30?') } : 'a seed that violates the schema is rejected'
assert log =~ /teacher_rejected_schema: [1-9]/
return true
