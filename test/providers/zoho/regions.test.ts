import { describe, expect, it } from "vitest";
import { ReconcileError } from "../../../src/core/errors.js";
import { ZOHO_REGION_IDS, ZOHO_REGIONS, baseUrlFor, regionFromLocation, zohoRegion } from "../../../src/providers/zoho/index.js";

describe("Zoho regions", () => {
  it("covers every data centre of the reference with all four services", () => {
    expect([...ZOHO_REGION_IDS]).toEqual(["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn", "ae"]);
    expect(ZOHO_REGIONS.us.urls).toEqual({
      accounts: "https://accounts.zoho.com",
      mail: "https://mail.zoho.com",
      mailadmin: "https://mailadmin.zoho.com",
      store: "https://store.zoho.com",
    });
    expect(ZOHO_REGIONS.eu.urls.mail).toBe("https://mail.zoho.eu");
    expect(ZOHO_REGIONS.au.urls.store).toBe("https://store.zoho.com.au");
    expect(ZOHO_REGIONS.cn.urls.accounts).toBe("https://accounts.zoho.com.cn");
    expect(ZOHO_REGIONS.in.urls.mailadmin).toBe("https://mailadmin.zoho.in");
  });

  it("serves Canada from zohocloud.ca, not zoho.ca", () => {
    expect(ZOHO_REGIONS.ca.urls.accounts).toBe("https://accounts.zohocloud.ca");
    expect(ZOHO_REGIONS.ca.urls.mail).toBe("https://mail.zohocloud.ca");
    for (const id of ZOHO_REGION_IDS) for (const url of Object.values(ZOHO_REGIONS[id].urls)) expect(url).not.toContain("zoho.ca");
  });

  it("maps the callback's location values, including com.au and com.cn", () => {
    expect(regionFromLocation("com.au")).toBe("au");
    expect(regionFromLocation("com.cn")).toBe("cn");
    expect(regionFromLocation("EU")).toBe("eu");
    expect(regionFromLocation("xx")).toBeUndefined();
  });

  it("lets an override point any service elsewhere, and refuses unknown regions without one", () => {
    expect(baseUrlFor("eu", "store", (dc, s) => `http://127.0.0.1:1/${dc}/${s}/`)).toBe("http://127.0.0.1:1/eu/store");
    expect(() => zohoRegion("mars")).toThrow(ReconcileError);
    expect(() => zohoRegion("zoho.ca")).toThrow(
      expect.objectContaining({ code: "zoho.region.unknown", hint: expect.stringContaining('Canada is "ca"') as unknown }),
    );
  });
});
