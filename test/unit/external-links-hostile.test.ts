// Links from model output that pass the scheme check but still reach into the machine.
import { describe, expect, it } from 'vitest';
import { parseExternalLink, requireExternalLink } from '../../shared/external-links.js';

describe('mailto links from model output', () => {
  it('refuses headers that make some mail programs attach a local file (attach=, Attachment=)', () => {
    for (const href of ['mailto:a@example.com?attach=/home/me/.ssh/id_rsa', 'mailto:a@example.com?subject=hi&ATTACH=~/.aws/credentials', 'mailto:a@example.com?attachment=file:///etc/passwd', 'mailto:a@example.com?x-attach=1']) {
      expect(parseExternalLink(href), href).toBeNull();
      expect(() => requireExternalLink(href), href).toThrow(expect.objectContaining({ code: 'LINK_NOT_ALLOWED', message: expect.stringContaining('to, cc, bcc, subject and body') }));
    }
  });

  it('keeps the ordinary ones: to, cc, bcc, subject, body', () => {
    expect(parseExternalLink('mailto:a@example.com?subject=Hi&body=See%20you&cc=b@example.com&BCC=c@example.com')).toMatchObject({ scheme: 'mailto', target: 'a@example.com' });
    expect(parseExternalLink('mailto:a@example.com')).toMatchObject({ scheme: 'mailto' });
  });
});
