export default function VendorPage() {
  return <div className="page">Vendor</div>;
}
