// Certificates for a broker's TLS listeners on loopback: a CA made for the occasion and a broker certificate it
// signs for 127.0.0.1 and localhost, written with openssl. For tests and benchmarks of secured listeners only: the
// keys are unencrypted and the CA signs nothing else.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PitchstreamError } from '../errors';

export interface LoopbackCertificates {
  /** PEM: the CA that clients trust (KAFKA_SSL_CA_FILE). */
  caFile: string;
  /** PEM: the broker's private key (PKCS#8) and certificate chain, for SecuredListeners.keystorePem. */
  keystorePem: string;
}

export function makeLoopbackCertificates(dir: string, days = 2): LoopbackCertificates {
  fs.mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new PitchstreamError('PROCESS_START_FAILED', `openssl ${args[0]} failed: ${stderr || String(error)}`, {
        fix: 'install OpenSSL (apt-get install openssl) and put `openssl` on PATH',
      });
    }
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', String(days), '-subj', '/CN=pitchstream loopback CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'broker.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'broker.crt', '-days', String(days), '-extfile', 'san.ext');
  const keystorePem = path.join(dir, 'broker-keystore.pem');
  fs.writeFileSync(keystorePem, ['broker.key', 'broker.crt', 'ca.pem'].map((file) => fs.readFileSync(path.join(dir, file), 'utf8')).join(''));
  return { caFile: path.join(dir, 'ca.pem'), keystorePem };
}
