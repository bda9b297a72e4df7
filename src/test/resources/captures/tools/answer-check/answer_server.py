# Loopback-only check that browsers accept the SFU's answers (see ../../README.md).
#   python3 answer_server.py <port> <classes dir> <out dir> [java]
# Serves validate.html from this directory; POST /answer/<policy>/<version>/<label> runs Answer.java
# (the answer builder, from <classes dir>) on the posted offer and returns the answer; any other
# POST body is stored in <out dir> under the path's name. Offers and answers are kept there too.
import http.server, os, sys, re, subprocess
BASE = os.path.dirname(os.path.abspath(__file__))
CLASSES, OUT = os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
JAVA = sys.argv[4] if len(sys.argv) > 4 else '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java'
def safe(name):
    return re.sub(r'[^A-Za-z0-9_.-]', '_', name)
class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=BASE, **k)
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', '0')))
        parts = self.path.strip('/').split('/')
        out = b''
        if parts[0] == 'answer' and len(parts) == 4:
            open(os.path.join(OUT, safe(parts[3]) + '.offer.sdp'), 'wb').write(body)
            out = subprocess.run([JAVA, '-cp', CLASSES, os.path.join(BASE, 'Answer.java'), parts[1], parts[2]],
                                 input=body, capture_output=True).stdout
            open(os.path.join(OUT, safe(parts[3]) + '.answer.sdp'), 'wb').write(out)
        else:
            open(os.path.join(OUT, safe(self.path.strip('/'))), 'wb').write(body)
        self.send_response(200)
        self.send_header('Content-Length', str(len(out)))
        self.end_headers()
        self.wfile.write(out)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
