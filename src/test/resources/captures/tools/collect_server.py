# Tiny loopback-only collector: serves ./www and writes POST bodies to ./out/<path-name>.
import http.server, os, sys, re
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'out')
class H(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'www'), **k)
    def do_POST(self):
        name = re.sub(r'[^A-Za-z0-9_.-]', '_', self.path.strip('/'))
        n = int(self.headers.get('Content-Length', '0'))
        body = self.rfile.read(n)
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(body)
        self.send_response(204); self.send_header('Access-Control-Allow-Origin', '*'); self.end_headers()
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
