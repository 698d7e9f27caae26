import json, random, re, sys
# gen.py N seed out [src] [randFrac]: N copy requests; randFrac (default 0) of the values are random letter strings
rnd = random.Random(int(sys.argv[2]))
n = int(sys.argv[1])
src = sys.argv[4] if len(sys.argv) > 4 else 'examples/filesystem-agent/target/forge/train/train-texts.jsonl'
rf = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
words=set()
for l in open(src):
    t=json.loads(l)['text']
    for m in re.findall(r'"(?:path|source|destination|content|newText|oldText|pattern)": "([^"]*)"', t):
        for w in re.split(r'[^A-Za-z]+', m):
            if len(w)>1: words.add(w)
words=sorted(words)
exts=['md','txt','json','csv','pdf','yaml','java','py','xlsx','png','toml']
def path():
    parts=[rnd.choice(words).lower() for _ in range(rnd.randint(1,3))]
    f=rnd.choice(words).lower()
    if rnd.random()<0.5: f+= '-' + str(rnd.randint(1,2030))
    p='/'.join(parts+[f+'.'+rnd.choice(exts)])
    return ('/' if rnd.random()<0.4 else '')+p
def text():
    return ' '.join(rnd.choice(words) for _ in range(rnd.randint(2,6)))
def num(): return str(rnd.randint(0, 99999))
L='abcdefghijklmnopqrstuvwxyz'
def rw():
    return ''.join(rnd.choice(L) for _ in range(rnd.randint(2,8)))
def rand():
    sep=rnd.choice(['/',' ','-','_','.'])
    return sep.join(rw() for _ in range(rnd.randint(1,5)))
pre=['Repeat this:', 'Say back', 'Copy', 'Echo', 'Write down', 'Please repeat']
out=open(sys.argv[3],'w')
for i in range(n):
    v=rand() if rf > 0 and rnd.random() < rf else rnd.choice([path,text,num])()
    u=f"{rnd.choice(pre)} {v}" if rnd.random()<0.5 else f"{rnd.choice(pre)} \"{v}\""
    a='<|im_start|>assistant\n'
    body=f'{{"value": "{v}"}}<|im_end|>'
    t=f"<|im_start|>user\n{u}<|im_end|>\n"+a
    s=len(t); t+=body; e=len(t); t+='\n'
    out.write(json.dumps({'text':t,'spans':[[s,e]]})+'\n')
