import { conformanceBody, detailsOf, scenariosOf, test } from '../../src/run/fixtures';

/** Methods a path does not declare get the profile's answer (unsupported_method). */
for (const s of scenariosOf('methods')) test(`${s.group} › ${s.title}`, detailsOf(s), conformanceBody(s));
