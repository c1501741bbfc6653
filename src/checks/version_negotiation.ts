import { defineCheck } from './types';

export default defineCheck({
  id: 'version_negotiation',
  title: 'API versions are negotiated as agreed',
  severity: 'critical',
  restsOn: "invariant versions, and the profile's answer to default_version",
  judged: { atMoment: 'the default version shows only on a request sent without the header, which a scenario sends on purpose; that every answer names the version that served it is response_headers_conformance on every answer' },
  description: 'Without the version header the default version serves the request and is named; every supported version is accepted and named in the answer.',
});
